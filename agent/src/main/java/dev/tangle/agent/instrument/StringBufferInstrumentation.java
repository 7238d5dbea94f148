package dev.tangle.agent.instrument;

import java.util.List;

/**
 * {@code java.lang.StringBuffer}: synchronized methods on the buffer; {@code append(Object)} and
 * {@code append(CharSequence)} call the argument's {@code toString} (or another buffer) while holding it.
 */
final class StringBufferInstrumentation implements JdkMonitorInstrumentation {
    @Override
    public String optionName() {
        return "StringBuffer";
    }

    @Override
    public List<String> classNames() {
        return List.of("java/lang/StringBuffer");
    }
}
