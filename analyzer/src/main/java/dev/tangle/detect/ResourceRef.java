package dev.tangle.detect;

import dev.tangle.model.Resource;
import dev.tangle.model.ResourceKind;

/**
 * A resource as findings name it: its class, its trace id and its identity hash (hex, as thread dumps show it),
 * its kind ({@code MONITOR}, {@code LOCK}, {@code QUEUE}, {@code LATCH}, {@code POOL}...), and its capacity
 * where it has one (a queue's capacity, a pool's maximum size, a barrier's parties, a latch's first count; -1
 * when none).
 */
public record ResourceRef(String className, long id, String identityHash, String kind, long capacity) {
    /** A resource without kind or capacity. */
    public ResourceRef(String className, long id, String identityHash) {
        this(className, id, identityHash, ResourceKind.OTHER.name(), -1);
    }

    public static ResourceRef of(Resource r) {
        return new ResourceRef(r.className(), r.id(), Integer.toHexString(r.identityHash()), r.kind().name(),
                r.capacity());
    }

    /** {@code PrintSumDeadlock$Value@1b6d3586 (#3)}, {@code SynchronousQueue@1b6d3586 (#4, capacity 0)}. */
    public String label() {
        String note = kind == null ? null : Resource.capacityNoteOf(ResourceKind.valueOf(kind), capacity);
        return className.substring(className.lastIndexOf('.') + 1) + "@" + identityHash + " (#" + id
                + (note == null ? "" : ", " + note) + ")";
    }
}
