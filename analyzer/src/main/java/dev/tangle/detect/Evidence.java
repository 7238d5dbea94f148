package dev.tangle.detect;

import dev.tangle.trace.CallStack;
import dev.tangle.trace.Frame;

import java.util.ArrayList;
import java.util.List;

/**
 * One piece of evidence: what happened, in which thread, and where, as frames {@code Class.method(File:line)}
 * (innermost first; only the site when no stack was captured).
 */
public record Evidence(String what, String thread, List<String> stack) {
    public Evidence {
        stack = List.copyOf(stack);
    }

    /** Evidence with the captured stack, or the site alone when there is none. */
    public static Evidence of(String what, String thread, Frame site, CallStack stack) {
        List<String> frames = new ArrayList<>();
        if (stack != null && !stack.frames().isEmpty()) {
            stack.frames().forEach(f -> frames.add(format(f)));
        } else if (site != null) {
            frames.add(format(site));
        }
        return new Evidence(what, thread, frames);
    }

    /** {@code Class.method(File:line)}; an unknown (or empty) file is {@code Unknown Source}. */
    public static String format(Frame f) {
        if (f == null) {
            return "?";
        }
        String file = f.file() == null || f.file().isEmpty() ? "Unknown Source" : f.file();
        return f.className() + "." + f.methodName() + "(" + file + (f.line() >= 0 ? ":" + f.line() : "") + ")";
    }
}
