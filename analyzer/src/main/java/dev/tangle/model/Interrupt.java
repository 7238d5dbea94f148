package dev.tangle.model;

/** {@code Thread.interrupt()}: {@code by} interrupted {@code target} at {@code time}. */
public record Interrupt(long time, long by, long target) {
}
