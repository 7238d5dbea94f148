package dev.tangle.detect;

/** The kinds of finding; the names are the JSON {@code type} values and never change. */
public enum FindingType {
    DEADLOCK,
    COMMUNICATION_DEADLOCK,
    POTENTIAL_DEADLOCK,
    LIVELOCK,
    STARVATION,
    THREAD_LEAK
}
