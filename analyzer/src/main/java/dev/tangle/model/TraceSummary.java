package dev.tangle.model;

import java.util.List;

/**
 * Facts about the trace as a whole, for reports.
 *
 * @param endTime      the end of the trace in ns since start (the END chunk's, else the last event's)
 * @param complete     the recording was closed normally
 * @param lostEvents   events the agent could not record
 */
public record TraceSummary(String source, String command, String jvm, long startEpochMillis, long events,
                           int threads, int resources, long endTime, boolean complete, long lostEvents,
                           List<String> warnings) {
    public TraceSummary {
        warnings = List.copyOf(warnings);
    }
}
