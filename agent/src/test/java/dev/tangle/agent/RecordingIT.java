package dev.tangle.agent;

import dev.tangle.trace.EventKind;
import dev.tangle.trace.TraceEvent;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each instrumented construct, recorded from a real program in a child JVM under the real agent jar, on JDK 17
 * and on every JDK 21+ present: the exact event sequence of each thread.
 */
class RecordingIT {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tangle.agent.Jdks#all")
    void synchronizedBlocksAndMethodsIncludingReentryAndExceptionExit(Jdks jdk) throws Exception {
        AgentRun run = AgentRun.run(jdk, dir, "fixtures.Monitors");
        assertThat(run.exitCode).as(run.stderr).isZero();
        assertThat(run.sequence("worker")).containsExactly(
                "THREAD_BEGIN",
                "MONITOR_REQUEST Ledger", "MONITOR_ACQUIRED Ledger",
                "MONITOR_REQUEST Ledger", "MONITOR_ACQUIRED Ledger",
                "MONITOR_RELEASE Ledger", "MONITOR_RELEASE Ledger",
                "MONITOR_REQUEST Account", "MONITOR_ACQUIRED Account", "MONITOR_RELEASE Account",
                "MONITOR_REQUEST Audit", "MONITOR_ACQUIRED Audit", "MONITOR_RELEASE Audit",
                "MONITOR_REQUEST Class", "MONITOR_ACQUIRED Class", "MONITOR_RELEASE Class",
                "THREAD_END");
        List<TraceEvent> worker = run.of("worker");
        // hold counts: 1, then 2 for the reentrant entry; releases count down
        assertThat(worker.stream().filter(e -> e.object() != null && e.object().className().endsWith("Ledger")
                && e.kind() != EventKind.MONITOR_REQUEST).map(TraceEvent::value))
                .containsExactly(1L, 2L, 2L, 1L);
        TraceEvent auditRequest = worker.stream().filter(e -> e.kind() == EventKind.MONITOR_REQUEST
                && e.object().className().endsWith("Audit")).findFirst().orElseThrow();
        assertThat(auditRequest.site().toString()).isEqualTo("fixtures.Monitors.work(Monitors.java:42)");
        TraceEvent depositRequest = worker.stream().filter(e -> e.kind() == EventKind.MONITOR_REQUEST
                && e.object().className().endsWith("Account")).findFirst().orElseThrow();
        assertThat(depositRequest.site().toString()).isEqualTo("fixtures.Monitors$Account.deposit(Monitors.java:7)");
        assertThat(depositRequest.stack().frames().get(1).toString()).startsWith("fixtures.Monitors.work(");
        assertThat(run.reader.isComplete()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tangle.agent.Jdks#all")
    void waitNotifyHandOffAndTimedWait(Jdks jdk) throws Exception {
        AgentRun run = AgentRun.run(jdk, dir, "fixtures.WaitNotify");
        assertThat(run.exitCode).as(run.stderr).isZero();
        assertThat(run.sequence("waiter")).containsExactly("THREAD_BEGIN",
                "MONITOR_REQUEST Mailbox", "MONITOR_ACQUIRED Mailbox",
                "WAIT_BEGIN Mailbox", "WAIT_END Mailbox",
                "MONITOR_RELEASE Mailbox", "THREAD_END");
        assertThat(run.sequence("notifier")).containsExactly("THREAD_BEGIN",
                "MONITOR_REQUEST Mailbox", "MONITOR_ACQUIRED Mailbox", "NOTIFY_ALL Mailbox",
                "MONITOR_RELEASE Mailbox", "THREAD_END");
        assertThat(run.sequence("timer")).containsExactly("THREAD_BEGIN",
                "MONITOR_REQUEST Clock", "MONITOR_ACQUIRED Clock",
                "WAIT_BEGIN Clock timed", "WAIT_END Clock timed",
                "MONITOR_RELEASE Clock", "THREAD_END");
        TraceEvent timedWait = run.of("timer").stream().filter(e -> e.kind() == EventKind.WAIT_BEGIN).findFirst()
                .orElseThrow();
        assertThat(timedWait.value()).isEqualTo(20_000_000L);
        // the hand-off, in one global order: the waiter waits, then the notifier notifies, then the waiter wakes
        List<String> global = run.events.stream()
                .filter(e -> e.object() != null && e.object().className().endsWith("Mailbox"))
                .filter(e -> e.kind() == EventKind.WAIT_BEGIN || e.kind() == EventKind.NOTIFY_ALL
                        || e.kind() == EventKind.WAIT_END)
                .map(e -> run.threadNames.get(e.threadId()) + " " + e.kind()).toList();
        assertThat(global).containsExactly("waiter WAIT_BEGIN", "notifier NOTIFY_ALL", "waiter WAIT_END");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tangle.agent.Jdks#all")
    void javaUtilConcurrentLocks(Jdks jdk) throws Exception {
        AgentRun run = AgentRun.run(jdk, dir, "fixtures.Locks");
        assertThat(run.exitCode).as(run.stderr).isZero();
        assertThat(run.sequence("owner")).containsExactly("THREAD_BEGIN",
                "LOCK_REQUEST ReentrantLock", "LOCK_ACQUIRED ReentrantLock",
                "LOCK_REQUEST ReentrantLock", "LOCK_ACQUIRED ReentrantLock",
                "LATCH_COUNT_DOWN CountDownLatch", // the fixture's own coordination is recorded too
                "LATCH_AWAIT_BEGIN CountDownLatch", "LATCH_AWAIT_END CountDownLatch",
                "LOCK_RELEASE ReentrantLock", "LOCK_RELEASE ReentrantLock", "THREAD_END");
        assertThat(run.sequence("contender")).containsExactly("THREAD_BEGIN",
                "LOCK_TRY_FAILED ReentrantLock try",
                "LOCK_REQUEST ReentrantLock try,timed", "LOCK_TRY_FAILED ReentrantLock try,timed,timedOut",
                "LOCK_REQUEST ReentrantLock", "LOCK_TRY_FAILED ReentrantLock interrupted",
                "THREAD_END");
        assertThat(run.sequence("rw")).containsExactly("THREAD_BEGIN",
                "LOCK_REQUEST ReentrantReadWriteLock read", "LOCK_ACQUIRED ReentrantReadWriteLock read",
                "LOCK_RELEASE ReentrantReadWriteLock read",
                "LOCK_REQUEST ReentrantReadWriteLock write", "LOCK_ACQUIRED ReentrantReadWriteLock write",
                "LOCK_RELEASE ReentrantReadWriteLock write",
                "LOCK_REQUEST StampedLock write", "LOCK_ACQUIRED StampedLock write", "LOCK_RELEASE StampedLock write",
                "LOCK_REQUEST StampedLock read", "LOCK_ACQUIRED StampedLock read", "LOCK_RELEASE StampedLock read",
                "THREAD_END");
        // the read and the write lock are one resource
        List<Long> rwObjects = run.of("rw").stream().filter(e -> e.object() != null
                && e.object().className().endsWith("ReentrantReadWriteLock")).map(TraceEvent::objectId)
                .distinct().toList();
        assertThat(rwObjects).hasSize(1);
        assertThat(run.sequence("awaiter")).containsExactly("THREAD_BEGIN",
                "LOCK_REQUEST ReentrantLock", "LOCK_ACQUIRED ReentrantLock",
                "CONDITION_AWAIT_BEGIN ConditionObject", "CONDITION_AWAIT_END ConditionObject",
                "LOCK_RELEASE ReentrantLock", "THREAD_END");
        assertThat(run.sequence("signaller")).containsExactly("THREAD_BEGIN",
                "LOCK_REQUEST ReentrantLock", "LOCK_ACQUIRED ReentrantLock",
                "CONDITION_SIGNAL ConditionObject", "LOCK_RELEASE ReentrantLock", "THREAD_END");
        // the condition names its lock
        TraceEvent await = run.of("awaiter").stream().filter(e -> e.kind() == EventKind.CONDITION_AWAIT_BEGIN)
                .findFirst().orElseThrow();
        TraceEvent lockAcquired = run.of("awaiter").stream().filter(e -> e.kind() == EventKind.LOCK_ACQUIRED)
                .findFirst().orElseThrow();
        assertThat(await.object().ownerId()).isEqualTo(lockAcquired.objectId());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tangle.agent.Jdks#all")
    void threadLifecycle(Jdks jdk) throws Exception {
        AgentRun run = AgentRun.run(jdk, dir, "fixtures.Lifecycle");
        assertThat(run.exitCode).as(run.stderr).isZero();
        assertThat(run.sequence("parent")).containsExactly("THREAD_BEGIN",
                "THREAD_START crasher", "JOIN_BEGIN crasher", "JOIN_END crasher",
                "THREAD_START sleeper daemon", "INTERRUPT sleeper", "JOIN_BEGIN sleeper timed",
                "JOIN_END sleeper timed",
                "THREAD_RENAME renamed", "THREAD_START renamed", "JOIN_BEGIN renamed", "JOIN_END renamed",
                "THREAD_START unparker", "UNPARK parent".equals("") ? "" : "JOIN_BEGIN unparker",
                "JOIN_END unparker", "SLEEP_BEGIN", "SLEEP_END", "THREAD_END");
        assertThat(run.sequence("crasher")).containsExactly("THREAD_BEGIN", "THREAD_END");
        TraceEvent crashEnd = run.of("crasher").get(run.of("crasher").size() - 1);
        assertThat(crashEnd.text()).isEqualTo("java.lang.IllegalStateException");
        assertThat(run.sequence("sleeper")).containsExactly("THREAD_BEGIN daemon", "SLEEP_BEGIN",
                "SLEEP_END interrupted", "THREAD_END");
        assertThat(run.sequence("renamed")).containsExactly("THREAD_BEGIN", "THREAD_END");
        assertThat(run.sequence("parent", EventKind.PARK_BEGIN, EventKind.PARK_END))
                .containsExactly("PARK_BEGIN", "PARK_END");
        assertThat(run.sequence("unparker", EventKind.UNPARK)).containsExactly("UNPARK parent");
        TraceEvent start = run.of("parent").stream().filter(e -> e.kind() == EventKind.THREAD_START).findFirst()
                .orElseThrow();
        assertThat(start.stack().frames().get(0).toString()).startsWith("java.lang.Thread.start(");
        assertThat(start.stack().frames().get(1).toString()).startsWith("fixtures.Lifecycle.parent(Lifecycle.java:");
    }
}
