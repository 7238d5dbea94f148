package dev.tangle.agent.instrument;

import dev.tangle.agent.bootstrap.AgentConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The option jdkMonitors and the instrumentations it names agree, and every listed class exists in this JDK. */
class JdkMonitorTransformerTest {
    @Test
    void everyOptionNameHasOneInstrumentationAndEveryClassExists() {
        assertThat(JdkMonitorTransformer.ALL).extracting(JdkMonitorInstrumentation::optionName)
                .containsExactlyElementsOf(AgentConfig.JDK_MONITOR_TYPES);
        JdkMonitorTransformer all = new JdkMonitorTransformer(AgentConfig.JDK_MONITOR_TYPES);
        assertThat(all.targets()).hasSize(JdkMonitorTransformer.ALL.stream()
                .mapToInt(i -> i.classNames().size()).sum());
        assertThat(new JdkMonitorTransformer(List.of()).isEmpty()).isTrue();
    }

    @Test
    void theOptionTakesAllNoneOrAList() {
        assertThat(AgentConfig.parse("").jdkMonitors).isEqualTo(AgentConfig.DEFAULT_JDK_MONITORS);
        assertThat(AgentConfig.parse("jdkMonitors=all").jdkMonitors).isEqualTo(AgentConfig.JDK_MONITOR_TYPES);
        assertThat(AgentConfig.parse("jdkMonitors=none").jdkMonitors).isEmpty();
        assertThat(AgentConfig.parse("jdkMonitors=Vector;Hashtable").jdkMonitors)
                .containsExactly("Vector", "Hashtable");
        assertThatThrownBy(() -> AgentConfig.parse("jdkMonitors=Vector;ArrayList"))
                .hasMessageStartingWith("option jdkMonitors: unknown type 'ArrayList'");
    }
}
