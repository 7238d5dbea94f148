package dev.tangle.agent.instrument;

import java.util.List;

/**
 * The wrappers of {@code Collections.synchronizedCollection/Set/SortedSet/NavigableSet/List/Map/SortedMap/
 * NavigableMap}: every method is a {@code synchronized (mutex)} block (the wrapper itself, or the mutex given),
 * so a thread blocked on one is seen requesting it. {@code equals} of a wrapped map or list holds the mutex
 * while calling the other collection.
 */
final class SynchronizedCollectionsInstrumentation implements JdkMonitorInstrumentation {
    @Override
    public String optionName() {
        return "synchronizedCollections";
    }

    @Override
    public List<String> classNames() {
        return List.of("java/util/Collections$SynchronizedCollection", "java/util/Collections$SynchronizedSet",
                "java/util/Collections$SynchronizedSortedSet", "java/util/Collections$SynchronizedNavigableSet",
                "java/util/Collections$SynchronizedList", "java/util/Collections$SynchronizedRandomAccessList",
                "java/util/Collections$SynchronizedMap", "java/util/Collections$SynchronizedSortedMap",
                "java/util/Collections$SynchronizedNavigableMap");
    }
}
