package dev.tangle.agent.instrument;

import java.util.List;

/** {@code java.util.Stack}: {@code pop}, {@code peek} and {@code search} are its own synchronized methods. */
final class StackInstrumentation implements JdkMonitorInstrumentation {
    @Override
    public String optionName() {
        return "Stack";
    }

    @Override
    public List<String> classNames() {
        return List.of("java/util/Stack");
    }
}
