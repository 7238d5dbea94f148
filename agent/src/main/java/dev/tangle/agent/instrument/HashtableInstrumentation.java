package dev.tangle.agent.instrument;

import java.util.List;

/**
 * {@code java.util.Hashtable}: every public method is synchronized on the table, and {@code equals},
 * {@code putAll} and {@code hashCode} call the other map's methods while holding it (JDK-6582568: two threads
 * crossing {@code equals} deadlock). Inherited by {@code Properties} and the program's own subclasses.
 */
final class HashtableInstrumentation implements JdkMonitorInstrumentation {
    @Override
    public String optionName() {
        return "Hashtable";
    }

    @Override
    public List<String> classNames() {
        return List.of("java/util/Hashtable");
    }
}
