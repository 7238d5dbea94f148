package dev.tangle.model;

import dev.tangle.trace.CallStack;
import dev.tangle.trace.Frame;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Frames and stacks as small ints: the reader hands out one {@code Frame} object per frame id and one
 * {@code CallStack} per stack id, so identity is enough. Index 0 is "none".
 */
final class Interner {
    private final Map<Frame, Integer> frameIds = new IdentityHashMap<>();
    private final List<Frame> frames = new ArrayList<>();
    private final List<CallStack> stacks = new ArrayList<>();
    private Frame lastFrame;
    private int lastFrameId;

    Interner() {
        frames.add(null);
        stacks.add(null);
    }

    int frameId(Frame frame) {
        if (frame == null) {
            return 0;
        }
        if (frame == lastFrame) {
            return lastFrameId;
        }
        Integer id = frameIds.get(frame);
        if (id == null) {
            id = frames.size();
            frames.add(frame);
            frameIds.put(frame, id);
        }
        lastFrame = frame;
        lastFrameId = id;
        return id;
    }

    int stackId(CallStack stack) {
        if (stack == null) {
            return 0;
        }
        int id = stack.id();
        while (stacks.size() <= id) {
            stacks.add(null);
        }
        stacks.set(id, stack);
        return id;
    }

    Frame frame(int id) {
        return frames.get(id);
    }

    CallStack stack(int id) {
        return stacks.get(id);
    }

    /** Drops the lookup table, which only building needs. */
    void finish() {
        frameIds.clear();
        lastFrame = null;
    }
}
