package dev.tangle.dump;

import dev.tangle.detect.Detectors;
import dev.tangle.detect.Finding;
import dev.tangle.detect.FindingType;
import dev.tangle.detect.ResourceRef;
import dev.tangle.input.InputFormat;
import dev.tangle.input.Inputs;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dumps of one program (resources dumps/Hang.java.txt) kept as files: "ab"/"ba" in a monitor deadlock, "L12"/"L21"
 * in a ReentrantLock deadlock, "upgrader" asking for the write lock while it reads (but "main" sleeps: it could
 * still be the reader, so no upgrade is inferred), "spinner" running, "waiter" in Object.wait.
 */
class ThreadDumpFixturesTest {
    private static Path resource(String name) throws URISyntaxException {
        return Path.of(ThreadDumpFixturesTest.class.getResource("/dumps/" + name).toURI());
    }

    @Test
    void aJdk17JstackDumpGivesExactlyTheTwoDeadlocksJstackFound() throws Exception {
        Path dump = resource("hang-jdk17-jstack-l.txt");
        assertThat(InputFormat.of(dump)).isEqualTo(InputFormat.THREAD_DUMP);
        ThreadDump parsed = TextThreadDumpParser.parse(Files.readString(dump), dump.toString()).get(0);
        assertThat(parsed.listsOwnableSynchronizers()).isTrue();
        assertThat(parsed.deadlockReported()).isTrue();
        DumpedThread ab = parsed.threads().stream().filter(t -> t.name().equals("ab")).findFirst().orElseThrow();
        assertThat(ab.id()).isEqualTo(12);
        assertThat(ab.state()).isEqualTo(Thread.State.BLOCKED);
        assertThat(ab.blockedOn()).isEqualTo(new LockRef("java.lang.Object", "0x000000069ec1a6f8"));
        assertThat(ab.monitors()).containsExactly(new DumpedThread.Held(
                new LockRef("java.lang.Object", "0x000000069ec1a6e8"), 0));
        assertThat(ab.frames().get(1).frame().className()).isEqualTo("Hang$$Lambda$1/0x00007f86dc000a08");

        List<Finding> findings = Detectors.analyze(Inputs.importFiles(List.of(dump)).model());
        assertThat(findings).extracting(Finding::type).containsExactly(FindingType.DEADLOCK, FindingType.DEADLOCK);
        assertThat(findings).extracting(Finding::threads).containsExactlyInAnyOrder(List.of("ab", "ba"),
                List.of("L12", "L21"));
    }

    @Test
    void aJdk25JsonDumpGivesTheMonitorDeadlockOnly() throws Exception {
        Path dump = resource("hang-jdk25.json");
        assertThat(InputFormat.of(dump)).isEqualTo(InputFormat.JSON_THREAD_DUMP);
        Inputs.Imported imported = Inputs.importFiles(List.of(dump));
        List<Finding> findings = Detectors.analyze(imported.model());
        // no ownable synchronizers in a JSON dump: the ReentrantLock deadlock cannot be seen, and it says so
        assertThat(findings).extracting(Finding::threads).containsExactly(List.of("ab", "ba"));
        assertThat(imported.blindSpots()).anyMatch(s -> s.startsWith("synchronizers:"));
        assertThat(findings.get(0).resources()).extracting(ResourceRef::identityHash)
                .containsExactlyInAnyOrder("5a54a889", "27cad0fe");
    }
}
