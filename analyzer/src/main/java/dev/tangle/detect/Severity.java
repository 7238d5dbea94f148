package dev.tangle.detect;

/** How bad a finding is, most severe first (reports list findings in this order). */
public enum Severity {
    /** The program hung, or part of it can never continue. */
    ERROR,
    /** A bug that did not bite in this run, or a resource left behind. */
    WARNING,
    /**
     * A hazard this run kept apart by its order (a lock-order inversion whose two orders never overlapped):
     * worth knowing, never a failure by default ({@code tangle analyze --fail-on-severity NOTE} makes it one).
     */
    NOTE
}
