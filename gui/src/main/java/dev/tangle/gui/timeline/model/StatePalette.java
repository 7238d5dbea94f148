package dev.tangle.gui.timeline.model;

/**
 * The lane colours as ARGB ints, shared by the raster (which writes pixels) and the legend. Chosen to be told
 * apart at a glance and by most colour-blind readers: red only for BLOCKED, the reds and oranges for waits, cool
 * colours for what is fine.
 */
public final class StatePalette {
    public static final int BACKGROUND = 0xFFFFFFFF;
    public static final int ROW_ALTERNATE = 0xFFF6F7F9;
    public static final int HIGHLIGHT = 0xFFFFF1B8;
    public static final int HOLD = 0xFF27364F;
    public static final int SELECTION = 0xFF1565C0;

    private StatePalette() {
    }

    public static int argb(StateCategory c) {
        return switch (c) {
            case ABSENT -> 0x00000000;
            case RUNNING -> 0xFF6DBE72;
            case TERMINATED -> 0xFFD9DCE1;
            case SLEEPING -> 0xFF8EC1E6;
            case IDLE -> 0xFFC9E7CB; // a pale running green: a pool worker with nothing to do is fine
            case TIMED_WAITING -> 0xFFF5CE5B;
            case WAITING -> 0xFFF09A3E;
            case PARKED -> 0xFFB293D6;
            case BLOCKED -> 0xFFD63A2F;
        };
    }
}
