package dev.tangle.agent.instrument;

import java.util.List;

/**
 * {@code java.util.Properties}: overrides most of Hashtable's methods, still synchronized on the object
 * ({@code put}, {@code remove}, {@code load}, {@code store}...; {@code getProperty} is not).
 */
final class PropertiesInstrumentation implements JdkMonitorInstrumentation {
    @Override
    public String optionName() {
        return "Properties";
    }

    @Override
    public List<String> classNames() {
        return List.of("java/util/Properties");
    }
}
