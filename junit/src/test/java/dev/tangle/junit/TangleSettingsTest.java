package dev.tangle.junit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Bad settings fail the test class with one line that names the key and the value, before any agent is loaded
 * (this JVM is not recorded: these classes never get as far as attaching).
 */
class TangleSettingsTest {
    @DetectConcurrencyBugs(failOn = {"DEADLOCK", "DEADLOKC"})
    static class UnknownFindingType {
        @Test
        void test() {
        }
    }

    @DetectConcurrencyBugs(ignoreThreads = "pool-[")
    static class BadRegex {
        @Test
        void test() {
        }
    }

    @DetectConcurrencyBugs(failOnSeverity = "SEVERE")
    static class BadSeverity {
        @Test
        void test() {
        }
    }

    @DetectConcurrencyBugs
    static class Plain {
        @Test
        void test() {
        }
    }

    private static String failure(Class<?> testClass, Map<String, String> parameters) {
        List<Event> failed = EngineTestKit.engine("junit-jupiter").configurationParameters(parameters)
                .selectors(selectClass(testClass)).execute().allEvents().failed().list();
        assertThat(failed).isNotEmpty();
        Throwable t = failed.get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow();
        assertThat(t).isInstanceOf(ExtensionConfigurationException.class);
        assertThat(t.getMessage()).doesNotContain("\n");
        return t.getMessage();
    }

    @Test
    void anUnknownFindingTypeIsNamedWithTheKnownOnes() {
        assertThat(failure(UnknownFindingType.class, Map.of())).isEqualTo("tangle: failOn: unknown finding type"
                + " 'DEADLOKC' (one of DEADLOCK, COMMUNICATION_DEADLOCK, POTENTIAL_DEADLOCK, LIVELOCK, STARVATION,"
                + " THREAD_LEAK)");
    }

    @Test
    void aBadRegularExpressionIsNamed() {
        assertThat(failure(BadRegex.class, Map.of())).startsWith("tangle: ignoreThreads: bad regular expression"
                + " 'pool-['");
    }

    @Test
    void aBadSeverityIsNamed() {
        assertThat(failure(BadSeverity.class, Map.of())).isEqualTo("tangle: failOnSeverity must be ERROR, WARNING or"
                + " NOTE, not 'SEVERE'");
    }

    @Test
    void badPropertiesAreNamedWithTheirKey() {
        assertThat(failure(Plain.class, Map.of("tangle.leakGraceMillis", "soon"))).isEqualTo("tangle:"
                + " tangle.leakGraceMillis must be a number of milliseconds, not 'soon'");
        assertThat(failure(Plain.class, Map.of("tangle.failOn", "THREAD_LEAK,LEAK"))).startsWith("tangle:"
                + " tangle.failOn: unknown finding type 'LEAK'");
    }
}
