package dev.tangle.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tangle.trace.Frame;
import dev.tangle.trace.ObjectInfo;
import dev.tangle.trace.TraceEvent;

import java.io.IOException;

/**
 * The JSON form of one event, as {@code tangle dump} prints it. Fields that do not apply (no object, no site,
 * zero value, no flags...) are left out, so each line shows only what the event says.
 */
final class EventJson {
    /** Names of the {@link EventFlags} bits, lowest bit first. */
    private static final String[] FLAG_NAMES = {"read", "write", "timed", "interrupted", "timedOut", "daemon",
            "virtual", "preexisting", "deadline", "try", "failed", "snapshot", "watched", "noRequest"};

    private EventJson() {
    }

    static void write(JsonGenerator json, TraceEvent event, String threadName, boolean withStack)
            throws IOException {
        json.writeStartObject();
        json.writeNumberField("t", event.time());
        json.writeNumberField("thread", event.threadId());
        if (threadName != null) {
            json.writeStringField("threadName", threadName);
        }
        json.writeStringField("kind", event.kind().name());
        if (event.objectId() != 0) {
            json.writeNumberField("obj", event.objectId());
        }
        ObjectInfo object = event.object(); // null for kinds whose obj is a thread
        if (object != null) {
            json.writeStringField("objClass", object.className());
            json.writeStringField("objHash", Integer.toHexString(object.identityHash()));
            if (object.ownerId() != 0) {
                json.writeNumberField("owner", object.ownerId());
            }
            if (object.capacity() >= 0) {
                json.writeNumberField("objCapacity", object.capacity());
            }
        }
        if (event.site() != null) {
            json.writeStringField("frame", frame(event.site()));
        }
        if (event.flags() != 0) {
            json.writeArrayFieldStart("flags");
            for (int bit = 0; bit < Integer.SIZE; bit++) {
                if ((event.flags() & (1 << bit)) != 0) {
                    json.writeString(bit < FLAG_NAMES.length ? FLAG_NAMES[bit] : "bit" + bit);
                }
            }
            json.writeEndArray();
        }
        if (event.value() != 0) {
            json.writeNumberField("value", event.value());
        }
        if (event.text() != null) {
            json.writeStringField("text", event.text());
        }
        if (withStack && event.stack() != null) {
            json.writeArrayFieldStart("stack");
            for (Frame frame : event.stack().frames()) {
                json.writeString(frame(frame));
            }
            json.writeEndArray();
        }
        json.writeEndObject();
    }

    static String frame(Frame frame) {
        return frame == null ? "?" : frame.toString();
    }
}
