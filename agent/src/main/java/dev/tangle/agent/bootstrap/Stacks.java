package dev.tangle.agent.bootstrap;

import java.lang.StackWalker.StackFrame;
import java.util.Iterator;
import java.util.function.Function;
import java.util.stream.Stream;

/** Captures the current stack as interned frame ids, innermost first, without the agent's own frames. */
final class Stacks {
    private static final StackWalker WALKER = StackWalker.getInstance();

    private Stacks() {
    }

    static int capture(int depth) {
        int[] frames = WALKER.walk(new Collect(depth));
        return frames.length == 0 ? 0 : Tables.stack(frames);
    }

    /**
     * As {@link #capture}, with the innermost frame replaced by {@code site} (a frame whose line the JVM does
     * not know there: code the agent put before the method's first line).
     */
    static int captureAt(int depth, int site) {
        int[] frames = WALKER.walk(new Collect(depth));
        if (frames.length == 0) {
            return 0;
        }
        frames[0] = site;
        return Tables.stack(frames);
    }

    /** A named class, not a lambda: bootstrap code must not need invokedynamic. */
    private static final class Collect implements Function<Stream<StackFrame>, int[]> {
        private final int depth;

        Collect(int depth) {
            this.depth = depth;
        }

        @Override
        public int[] apply(Stream<StackFrame> stream) {
            int[] ids = new int[depth];
            int n = 0;
            Iterator<StackFrame> it = stream.iterator();
            while (it.hasNext() && n < depth) {
                StackFrame f = it.next();
                String cls = f.getClassName();
                if (cls.startsWith("dev.tangle.agent.")) {
                    continue;
                }
                ids[n++] = Tables.frame(cls, f.getMethodName(), f.getFileName(), f.getLineNumber());
            }
            return n == depth ? ids : java.util.Arrays.copyOf(ids, n);
        }
    }
}
