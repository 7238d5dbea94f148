package dev.tangle.detect;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One bug found in a trace.
 *
 * @param id        stable for the same trace: the type and a hash of the threads and resources involved
 * @param summary   one sentence a developer understands without the rest
 * @param threads   the names of the threads involved
 * @param resources the locks, monitors, conditions... involved
 * @param time      when it happened or formed, ns since the start of recording
 * @param evidence  what each thread did, with stacks
 * @param details   structured facts specific to the type (for DEADLOCK the four Coffman conditions); values are
 *                  strings, numbers, booleans, lists and maps, so that they serialise as they are
 */
public record Finding(String id, FindingType type, Severity severity, String summary, List<String> threads,
                      List<ResourceRef> resources, long time, List<Evidence> evidence, Map<String, Object> details) {
    public Finding {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(summary, "summary");
        threads = List.copyOf(threads);
        resources = List.copyOf(resources);
        evidence = List.copyOf(evidence);
        details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** {@code deadlock-1a2b3c4d}: the type in kebab case and a hash of what identifies the finding. */
    public static String idFor(FindingType type, Object... key) {
        int h = java.util.Arrays.deepHashCode(key);
        h *= 0x9E3779B9; // spread small hashes over all 32 bits
        h ^= h >>> 15;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        return type.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "-"
                + String.format("%08x", h);
    }
}
