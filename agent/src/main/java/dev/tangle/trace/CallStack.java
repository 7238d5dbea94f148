package dev.tangle.trace;

import java.util.List;

/** An interned stack, innermost frame first. */
public record CallStack(int id, List<Frame> frames) {
    public CallStack {
        frames = List.copyOf(frames);
    }
}
