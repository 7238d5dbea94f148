package dev.tangle.trace;

import java.io.IOException;

/** The bytes are not a Tangle trace, or a chunk is corrupt. The message names the byte offset. */
public class TraceFormatException extends IOException {
    private final long offset;

    public TraceFormatException(long offset, String message) {
        super(message + " at byte offset " + offset);
        this.offset = offset;
    }

    public TraceFormatException(long offset, String message, Throwable cause) {
        super(message + " at byte offset " + offset, cause);
        this.offset = offset;
    }

    /** Where in the file the problem is. */
    public long offset() {
        return offset;
    }
}
