package dev.tangle.cli;

/**
 * A problem with what the user gave us (an option, a file). Its message is shown alone on one line and the
 * command exits with {@link ExitCodes#BAD_INPUT}; it has no stack trace worth showing.
 */
final class BadInputException extends RuntimeException {
    BadInputException(String message) {
        super(message, null, false, false);
    }
}
