package dev.tangle.trace;

import java.util.Map;

/**
 * What a trace says about the recording as a whole.
 *
 * @param startNanoTime the recorded JVM's {@code System.nanoTime()} when recording began; event times are
 *                      nanoseconds since then
 * @param properties    further facts as key/value pairs (agent options, blind spots, ...)
 */
public record TraceHeader(int formatVersion, String jvmVendor, String jvmVersion, long pid, String command,
                          long startEpochMillis, long startNanoTime, Map<String, String> properties) {
    public TraceHeader {
        properties = Map.copyOf(properties);
    }
}
