package dev.tangle.agent.instrument;

import java.util.List;

/**
 * {@code java.util.Vector}: synchronized methods on the vector; {@code equals}, {@code addAll},
 * {@code containsAll} hold it while calling the other collection.
 */
final class VectorInstrumentation implements JdkMonitorInstrumentation {
    @Override
    public String optionName() {
        return "Vector";
    }

    @Override
    public List<String> classNames() {
        return List.of("java/util/Vector");
    }
}
