package dev.tangle.report;

import dev.tangle.trace.TraceHeader;

import java.util.List;
import java.util.Map;

/** What a recording could not see, from its trace header's {@code blindSpot.*} properties (an attach writes them). */
public final class BlindSpots {
    private static final String PREFIX = "blindSpot.";

    private BlindSpots() {
    }

    /** {@code name: what is not seen}, sorted by name; empty for a recording from the start. */
    public static List<String> of(TraceHeader header) {
        return header.properties().entrySet().stream()
                .filter(p -> p.getKey().startsWith(PREFIX))
                .sorted(Map.Entry.comparingByKey())
                .map(p -> p.getKey().substring(PREFIX.length()) + ": " + p.getValue())
                .toList();
    }
}
