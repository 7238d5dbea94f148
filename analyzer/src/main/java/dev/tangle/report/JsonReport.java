package dev.tangle.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tangle.detect.Finding;
import dev.tangle.model.TraceSummary;

import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Findings as JSON: {@code {"findings": [...], "trace": {...}}}. Each finding has {@code id, type, severity,
 * summary, threads, resources, time, evidence, details}; {@code trace} summarises the trace.
 */
public final class JsonReport {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private JsonReport() {
    }

    public static void write(Writer out, List<Finding> findings, TraceSummary trace) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("findings", findings);
        root.put("trace", trace);
        MAPPER.writeValue(out, root);
        out.write(System.lineSeparator());
        out.flush();
    }

    /** The mapper, for reading reports back (tests, tools). */
    public static ObjectMapper mapper() {
        return MAPPER.copy();
    }
}
