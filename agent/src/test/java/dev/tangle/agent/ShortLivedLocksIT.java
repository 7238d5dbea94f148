package dev.tangle.agent;

import dev.tangle.trace.EventKind;
import dev.tangle.trace.TraceEvent;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Locks that die leave nothing behind in the agent: after 150 000 short-lived monitors and ReentrantLocks (each
 * locked once, every one recorded), the agent's object table holds entries only for objects still alive and is
 * back to its initial size. (The soak run, benchmarks/soak.sh, does the same with a million and a real server.)
 */
class ShortLivedLocksIT {
    private static final int LOCKS = 150_000;
    private static final Pattern FIGURES = Pattern.compile("locks (\\d+), peak entries (\\d+), peak buckets (\\d+),"
            + " entries after (\\d+), buckets after (\\d+)");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tangle.agent.Jdks#all")
    void shortLivedLocksLeaveNoEntriesBehind(Jdks jdk) throws Exception {
        // a buffer that holds every event of the run, so that a starved writer on a loaded machine loses none
        AgentRun run = AgentRun.run(jdk, dir, "buffer=1048576", "fixtures.ShortLivedLocks", List.of("-Xmx256m"),
                String.valueOf(LOCKS));

        assertThat(run.exitCode).as(run.stderr).isZero();
        Matcher m = FIGURES.matcher(run.stdout);
        assertThat(m.find()).as(run.stdout).isTrue();
        assertThat(Long.parseLong(m.group(1))).isEqualTo(2L * LOCKS);
        assertThat(Long.parseLong(m.group(4))).as("entries left: %s", run.stdout).isLessThan(100);
        assertThat(Long.parseLong(m.group(5))).as("buckets left: %s", run.stdout).isEqualTo(4096);
        // and every one of them was recorded, each as an object of its own
        assertThat(run.reader.lostEvents()).isZero();
        long monitors = run.events.stream().filter(e -> e.kind() == EventKind.MONITOR_ACQUIRED
                && e.object() != null && e.object().className().equals("java.lang.Object")).count();
        long locks = run.events.stream().filter(e -> e.object() != null
                && e.object().className().equals("java.util.concurrent.locks.ReentrantLock"))
                .mapToLong(e -> e.kind() == EventKind.LOCK_ACQUIRED ? 1
                        : e.kind().name().equals("LEAF_HOLDS") ? e.value() : 0).sum();
        assertThat(monitors).isEqualTo(LOCKS);
        assertThat(locks).isEqualTo(LOCKS);
        assertThat(run.events.stream().filter(e -> e.kind() == EventKind.MONITOR_ACQUIRED)
                .map(TraceEvent::objectId).distinct().count()).as("a trace id per monitor")
                .isGreaterThanOrEqualTo(LOCKS);
    }
}
