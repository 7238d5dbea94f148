package dev.tangle.jfr;

import java.io.IOException;

/** A file that the JDK's JFR reader cannot read; the message names the file and the reader's reason. */
public final class JfrFormatException extends IOException {
    public JfrFormatException(String message) {
        super(message);
    }
}
