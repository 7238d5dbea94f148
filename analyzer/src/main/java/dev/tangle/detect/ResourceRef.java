package dev.tangle.detect;

import dev.tangle.model.Resource;

/**
 * A resource as findings name it: its class, its trace id and its identity hash (hex, as thread dumps show it).
 */
public record ResourceRef(String className, long id, String identityHash) {
    public static ResourceRef of(Resource r) {
        return new ResourceRef(r.className(), r.id(), Integer.toHexString(r.identityHash()));
    }

    /** {@code PrintSumDeadlock$Value@1b6d3586 (#3)}. */
    public String label() {
        return className.substring(className.lastIndexOf('.') + 1) + "@" + identityHash + " (#" + id + ")";
    }
}
