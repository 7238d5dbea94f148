package dev.tangle.dump;

import dev.tangle.trace.Frame;

/**
 * One frame of a dumped stack: {@code Class.method(File:line)} and whether the method is native (its frame's line
 * is then -2, as in {@code StackTraceElement}).
 */
public record DumpedFrame(Frame frame, boolean nativeMethod) {
    /** Parses what a dump writes after {@code at }: {@code java.base@17/java.lang.Object.wait(Object.java:338)}. */
    public static DumpedFrame parse(String text) {
        String s = text.trim();
        int open = s.indexOf('(');
        String where = open < 0 ? "" : s.substring(open + 1, s.endsWith(")") ? s.length() - 1 : s.length());
        String qualified = open < 0 ? s : s.substring(0, open);
        int dot = qualified.lastIndexOf('.');
        String className = dot < 0 ? qualified : qualified.substring(0, dot);
        String method = dot < 0 ? "?" : qualified.substring(dot + 1);
        // JSON dumps name the module first: "java.base/java.lang.Thread.run(Thread.java:1474)"; a hidden class
        // has a slash of its own: "Spin$$Lambda/0x00007f9c00000a08.run(Unknown Source)"
        int slash = className.indexOf('/');
        if (slash >= 0 && !className.startsWith("0x", slash + 1)) {
            className = className.substring(slash + 1);
        }
        slash = where.lastIndexOf('/'); // text dumps: "(java.base@17.0.15/Thread.java:840)"
        if (slash >= 0) {
            where = where.substring(slash + 1);
        }
        boolean nativeMethod = where.equals("Native Method");
        String file = null;
        int line = nativeMethod ? -2 : -1; // -2: a native method, as in StackTraceElement
        if (!nativeMethod && !where.equals("Unknown Source") && !where.isEmpty()) {
            int colon = where.lastIndexOf(':');
            if (colon >= 0) {
                file = where.substring(0, colon);
                try {
                    line = Integer.parseInt(where.substring(colon + 1));
                } catch (NumberFormatException e) {
                    line = -1;
                }
            } else {
                file = where;
            }
        }
        return new DumpedFrame(new Frame(className, method, file, line), nativeMethod);
    }

    /** Same class and method (the line may differ: a loop spans lines). */
    public boolean sameMethod(DumpedFrame other) {
        return frame.className().equals(other.frame.className())
                && frame.methodName().equals(other.frame.methodName());
    }
}
