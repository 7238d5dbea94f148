package dev.tangle.gui.timeline.model;

import java.util.Locale;

/** Ruler ticks on a 1-2-5 scale and time labels in the unit that suits the tick step (ns, µs, ms, s). */
public final class TimeAxis {
    private TimeAxis() {
    }

    /** The smallest 1-2-5 step (ns) that puts at least {@code minPx} pixels between ticks. */
    public static double step(double span, double widthPx, double minPx) {
        double raw = span / Math.max(1, widthPx) * minPx;
        double p = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1))));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (p * m >= raw) {
                return p * m;
            }
        }
        return p * 10;
    }

    /** {@code 1.25 ms}: the time with as many decimals as the step needs, in the step's unit. */
    public static String label(double ns, double step) {
        String[] units = {"ns", "µs", "ms", "s"};
        double scale = 1;
        int u = 0;
        while (u < 3 && step >= scale * 500) {
            scale *= 1000;
            u++;
        }
        double v = ns / scale;
        double s = step / scale;
        int decimals = s >= 1 ? 0 : (int) Math.ceil(-Math.log10(s));
        if (Math.abs(v) < Math.pow(10, -decimals) / 2) {
            v = 0; // no "-0 ms"
        }
        return String.format(Locale.ROOT, "%." + decimals + "f %s", v, units[u]);
    }

    /** A duration for people: {@code 812 µs}, {@code 1.204 s}. */
    public static String duration(double ns) {
        if (ns < 1_000) {
            return String.format(Locale.ROOT, "%.0f ns", ns);
        }
        if (ns < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f µs", ns / 1e3);
        }
        if (ns < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.2f ms", ns / 1e6);
        }
        return String.format(Locale.ROOT, "%.3f s", ns / 1e9);
    }
}
