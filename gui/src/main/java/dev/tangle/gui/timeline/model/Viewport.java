package dev.tangle.gui.timeline.model;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The visible time range, [start, end) in ns since the start of the trace, with an undo history of navigation.
 * Zooming keeps the time under the mouse in place; nothing zooms below {@link #MIN_SPAN} ns or far beyond the trace.
 */
public final class Viewport {
    public static final double MIN_SPAN = 100;
    private static final int HISTORY = 100;

    private double start;
    private double end;
    private long traceStart;
    private long traceEnd = 1;
    private final Deque<double[]> history = new ArrayDeque<>();

    public double start() {
        return start;
    }

    public double end() {
        return end;
    }

    public double span() {
        return end - start;
    }

    public long traceEnd() {
        return traceEnd;
    }

    /** Shows the whole trace and forgets the history (a new trace). */
    public void reset(long traceEnd) {
        reset(0, traceEnd);
    }

    /** Shows [traceStart, traceEnd), the part of the trace with events, and forgets the history. */
    public void reset(long traceStart, long traceEnd) {
        this.traceEnd = Math.max(1, traceEnd);
        this.traceStart = Math.max(0, Math.min(traceStart, this.traceEnd - 1));
        history.clear();
        start = this.traceStart;
        end = this.traceEnd;
    }

    /** The part of the trace with events, with a little room on both sides so that its ends show. */
    public void fitAll() {
        double pad = (traceEnd - traceStart) * 0.015;
        set(traceStart - pad, traceEnd + pad);
    }

    /** The range grows with a live trace; an unchanged view follows the present when it showed the old end. */
    public void traceGrew(long newEnd, boolean follow) {
        long old = traceEnd;
        traceEnd = Math.max(traceEnd, newEnd);
        if (follow && end >= old) {
            double span = span();
            end = traceEnd;
            start = Math.max(0, end - span);
        }
    }

    /**
     * A live trace grew to {@code newEnd}: a view of everything goes on showing everything, a view of the present
     * follows it, a view the user moved into the past stays where it is. Not a navigation: nothing to undo.
     */
    public void grow(long newEnd) {
        if (newEnd <= traceEnd) {
            return;
        }
        boolean all = start <= traceStart && end >= traceEnd;
        if (all) {
            traceEnd = newEnd;
            double pad = (traceEnd - traceStart) * 0.015;
            start = traceStart - pad;
            end = traceEnd + pad;
        } else {
            traceGrew(newEnd, true);
        }
    }

    /** Zooms by {@code factor} (below 1 zooms in) keeping {@code anchor}, a fraction of the width, in place. */
    public void zoom(double factor, double anchor) {
        double span = clampSpan(span() * factor);
        double at = start + span() * anchor;
        set(at - span * anchor, at - span * anchor + span);
    }

    /** Moves by a fraction of the visible span (positive: later). */
    public void pan(double fraction) {
        double d = span() * fraction;
        set(start + d, end + d);
    }

    /** Moves without recording a history entry (a drag in progress records one at its start). */
    public void panTo(double newStart) {
        double span = span();
        start = clampStart(newStart, span);
        end = start + span;
    }

    public void show(double from, double to) {
        if (to - from < MIN_SPAN) {
            double mid = (from + to) / 2;
            from = mid - MIN_SPAN / 2;
            to = mid + MIN_SPAN / 2;
        }
        set(from, to);
    }

    /** Centres on {@code time} keeping the span, or zooms to {@code span} when it is positive. */
    public void centreOn(double time, double span) {
        double s = span > 0 ? clampSpan(span) : span();
        set(time - s / 2, time + s / 2);
    }

    /** Records the current range (before a drag) so that one undo brings it back. */
    public void remember() {
        if (history.isEmpty() || history.peek()[0] != start || history.peek()[1] != end) {
            history.push(new double[] {start, end});
            if (history.size() > HISTORY) {
                history.removeLast();
            }
        }
    }

    /** Goes back to the range before the last navigation; false when there is none. */
    public boolean undo() {
        double[] last = history.poll();
        if (last == null) {
            return false;
        }
        start = last[0];
        end = last[1];
        return true;
    }

    public boolean canUndo() {
        return !history.isEmpty();
    }

    private void set(double from, double to) {
        remember();
        double span = clampSpan(to - from);
        start = clampStart(from, span);
        end = start + span;
    }

    private double clampSpan(double span) {
        return Math.max(MIN_SPAN, Math.min(span, traceEnd * 1.5));
    }

    private double clampStart(double s, double span) {
        double min = -span * 0.25;
        double max = traceEnd - span * 0.75;
        return Math.max(min, Math.min(s, Math.max(min, max)));
    }

    /** The time at pixel {@code x} of {@code width}. */
    public double timeAt(double x, double width) {
        return start + span() * x / width;
    }

    /** The pixel of {@code time} in {@code width}. */
    public double xOf(double time, double width) {
        return (time - start) / span() * width;
    }
}
