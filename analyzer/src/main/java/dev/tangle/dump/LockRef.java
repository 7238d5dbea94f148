package dev.tangle.dump;

/**
 * An object a thread dump names: a monitor, a park blocker, an ownable synchronizer.
 *
 * @param className the object's class, as the dump writes it
 * @param identity  how the dump tells the object apart: its address ({@code 0x000000069ec1a6f8}) in a text dump,
 *                  its identity hash ({@code 5a54a889}) in a JSON dump; unique within one dump
 */
public record LockRef(String className, String identity) {
    /** {@code java.lang.Object@0x000000069ec1a6f8}. */
    @Override
    public String toString() {
        return className + "@" + identity;
    }
}
