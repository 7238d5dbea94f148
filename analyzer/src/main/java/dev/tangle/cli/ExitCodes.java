package dev.tangle.cli;

/** Exit codes of the {@code tangle} commands; picocli's defaults, named. */
final class ExitCodes {
    static final int OK = 0;
    /** A bug in Tangle itself. */
    static final int SOFTWARE = 1;
    /** Bad options, missing or unreadable files, corrupt traces. */
    static final int BAD_INPUT = 2;

    private ExitCodes() {
    }
}
