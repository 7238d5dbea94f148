package dev.tangle.input;

import java.io.IOException;

/** A file that is no input Tangle reads, or files that are no one trace; the message names the file and why. */
public final class InputFileException extends IOException {
    public InputFileException(String message) {
        super(message);
    }
}
