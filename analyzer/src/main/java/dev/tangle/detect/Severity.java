package dev.tangle.detect;

public enum Severity {
    /** The program hung, or part of it can never continue. */
    ERROR,
    /** A bug that did not bite in this run, or a resource left behind. */
    WARNING
}
