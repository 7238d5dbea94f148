package dev.tangle.dump;

import java.io.IOException;

/** A file that is not a thread dump, or one that cannot be read as one; the message names the file and why. */
public final class ThreadDumpFormatException extends IOException {
    public ThreadDumpFormatException(String message) {
        super(message);
    }
}
