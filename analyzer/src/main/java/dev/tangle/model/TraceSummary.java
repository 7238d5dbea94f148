package dev.tangle.model;

import java.util.List;

/**
 * Facts about the trace as a whole, for reports.
 *
 * @param endTime      the end of the trace in ns since start (the END chunk's, else the last event's)
 * @param complete     the recording was closed normally
 * @param lostEvents   events the agent could not record
 * @param format       what the input was: "tangle trace", "JFR recording", "thread dump"...
 * @param blindSpots   what this kind of input cannot show (a thread dump has no lock order...); empty for a trace
 */
public record TraceSummary(String source, String command, String jvm, long startEpochMillis, long events,
                           int threads, int resources, long endTime, boolean complete, long lostEvents,
                           List<String> warnings, String format, List<String> blindSpots) {
    public static final String TANGLE_TRACE = "tangle trace";

    public TraceSummary {
        warnings = List.copyOf(warnings);
        blindSpots = List.copyOf(blindSpots);
    }

    /** The summary of a Tangle trace. */
    public TraceSummary(String source, String command, String jvm, long startEpochMillis, long events,
                        int threads, int resources, long endTime, boolean complete, long lostEvents,
                        List<String> warnings) {
        this(source, command, jvm, startEpochMillis, events, threads, resources, endTime, complete, lostEvents,
                warnings, TANGLE_TRACE, List.of());
    }
}
