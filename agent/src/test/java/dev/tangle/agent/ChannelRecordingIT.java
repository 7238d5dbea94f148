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
 * Channels (blocking queues, Exchanger) and synchronizers (CountDownLatch, Semaphore, CyclicBarrier, Phaser),
 * recorded from {@code fixtures.Channels} in a child JVM under the real agent jar, on JDK 17 and every JDK 21+
 * present: each thread's exact event sequence, the outcome flags, values and capacities, and that the JDK's own
 * locking and parking inside these classes is never recorded as the program's.
 */
class ChannelRecordingIT {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tangle.agent.Jdks#all")
    void channelsAndSynchronizers(Jdks jdk) throws Exception {
        AgentRun run = AgentRun.run(jdk, dir, "fixtures.Channels");
        assertThat(run.exitCode).as(run.stderr).isZero();
        // the agent could read the queues' capacities and sizes (else it warns once)
        assertThat(run.stderr.lines()).noneMatch(l -> l.startsWith("tangle:"));
        assertThat(run.reader.isComplete()).isTrue();

        // a timed poll that times out: TIMED with the timeout, TIMED_OUT at the end, no park of its own
        assertThat(run.sequence("poller", EventKind.values())).containsExactly("THREAD_BEGIN",
                "CHANNEL_RECV_BEGIN LinkedBlockingQueue timed", "CHANNEL_RECV_END LinkedBlockingQueue timed,timedOut",
                "THREAD_END");
        TraceEvent poll = first(run, "poller", EventKind.CHANNEL_RECV_BEGIN);
        assertThat(poll.value()).isEqualTo(20_000_000L);
        assertThat(poll.text()).isEqualTo("poll");
        assertThat(poll.site().toString()).startsWith("fixtures.Channels.lambda$main$");
        assertThat(poll.stack()).isNotNull();
        assertThat(poll.object().capacity()).isEqualTo(Integer.MAX_VALUE);
        assertThat(first(run, "poller", EventKind.CHANNEL_RECV_END).value()).isZero(); // size after

        // a SynchronousQueue hand-off: the receiver's take ends after the sender's put began
        assertThat(run.sequence("sender", EventKind.values())).containsExactly("THREAD_BEGIN",
                "CHANNEL_SEND_BEGIN SynchronousQueue", "CHANNEL_SEND_END SynchronousQueue", "THREAD_END");
        assertThat(run.sequence("receiver", EventKind.values())).containsExactly("THREAD_BEGIN",
                "CHANNEL_RECV_BEGIN SynchronousQueue", "CHANNEL_RECV_END SynchronousQueue", "THREAD_END");
        TraceEvent put = first(run, "sender", EventKind.CHANNEL_SEND_BEGIN);
        TraceEvent taken = first(run, "receiver", EventKind.CHANNEL_RECV_END);
        assertThat(taken.time()).isGreaterThan(put.time());
        assertThat(run.events.indexOf(taken)).isGreaterThan(run.events.indexOf(put));
        assertThat(put.text()).isEqualTo("put");
        assertThat(taken.text()).isEqualTo("take");
        assertThat(put.object().capacity()).isZero();
        assertThat(taken.objectId()).isEqualTo(put.objectId());

        // an offer refused by a full ArrayBlockingQueue of capacity 1
        assertThat(run.sequence("offerer")).containsExactly("THREAD_BEGIN",
                "CHANNEL_SEND_BEGIN ArrayBlockingQueue try", "CHANNEL_SEND_END ArrayBlockingQueue try",
                "CHANNEL_SEND_BEGIN ArrayBlockingQueue try", "CHANNEL_SEND_END ArrayBlockingQueue try,failed",
                "THREAD_END");
        List<TraceEvent> offers = run.of("offerer").stream().filter(e -> e.kind() == EventKind.CHANNEL_SEND_END)
                .toList();
        assertThat(offers).extracting(TraceEvent::value).containsExactly(1L, 1L);
        assertThat(offers.get(0).object().capacity()).isEqualTo(1);
        assertThat(offers).extracting(TraceEvent::text).containsExactly("offer", "offer");
        assertThat(first(run, "offerer", EventKind.CHANNEL_SEND_BEGIN).stack()).isNull(); // never blocks
        // written as one paired record each: the BEGIN is read at its END's time, which two events recorded on
        // one object never share (each gets a later time than the object's last)
        List<TraceEvent> sends = run.of("offerer").stream().filter(e -> e.object() != null).toList();
        assertThat(sends).extracting(TraceEvent::time).containsExactly(sends.get(0).time(), sends.get(0).time(),
                sends.get(2).time(), sends.get(2).time());
        assertThat(sends.get(2).time()).isGreaterThan(sends.get(0).time());

        // tryAcquire that succeeds, then fails, then a release
        assertThat(run.sequence("permits")).containsExactly("THREAD_BEGIN",
                "SEMAPHORE_ACQUIRE_BEGIN Semaphore try", "SEMAPHORE_ACQUIRE_END Semaphore try",
                "SEMAPHORE_ACQUIRE_BEGIN Semaphore try", "SEMAPHORE_ACQUIRE_END Semaphore try,failed",
                "SEMAPHORE_RELEASE Semaphore", "THREAD_END");
        assertThat(run.of("permits").stream().filter(e -> e.object() != null).map(TraceEvent::value))
                .containsOnly(1L);
        assertThat(first(run, "permits", EventKind.SEMAPHORE_RELEASE).object().capacity()).isEqualTo(1);
        List<TraceEvent> tries = run.of("permits").stream().filter(e -> e.object() != null).toList();
        assertThat(tries.get(0).time()).isEqualTo(tries.get(1).time()); // a paired record, as the offers

        // a latch counted down by another thread than the one waiting
        assertThat(run.sequence("latchWaiter")).containsExactly("THREAD_BEGIN",
                "LATCH_AWAIT_BEGIN CountDownLatch", "LATCH_AWAIT_END CountDownLatch", "THREAD_END");
        assertThat(run.sequence("counter", EventKind.values())).containsExactly("THREAD_BEGIN",
                "LATCH_COUNT_DOWN CountDownLatch", "THREAD_END");
        TraceEvent countDown = first(run, "counter", EventKind.LATCH_COUNT_DOWN);
        assertThat(countDown.value()).isZero();
        assertThat(countDown.object().capacity()).isEqualTo(1);
        assertThat(first(run, "latchWaiter", EventKind.LATCH_AWAIT_END).time()).isGreaterThan(countDown.time());

        // a CyclicBarrier of two parties: arrival indexes 1 and 0
        for (String party : List.of("party1", "party2")) {
            assertThat(run.sequence(party)).containsExactly("THREAD_BEGIN",
                    "BARRIER_AWAIT_BEGIN CyclicBarrier", "BARRIER_AWAIT_END CyclicBarrier", "THREAD_END");
        }
        TraceEvent end1 = first(run, "party1", EventKind.BARRIER_AWAIT_END);
        TraceEvent end2 = first(run, "party2", EventKind.BARRIER_AWAIT_END);
        assertThat(List.of(end1.value(), end2.value())).containsExactlyInAnyOrder(0L, 1L);
        assertThat(end1.object().capacity()).isEqualTo(2);
        assertThat(end1.text()).isEqualTo("await");

        // a Phaser round: one waits for the advance, the other registers, arrives and deregisters
        assertThat(run.sequence("phaseWaiter")).containsExactly("THREAD_BEGIN",
                "BARRIER_AWAIT_BEGIN Phaser", "BARRIER_AWAIT_END Phaser", "THREAD_END");
        assertThat(run.sequence("phaseArriver")).containsExactly("THREAD_BEGIN",
                "PHASER_REGISTER Phaser", "PHASER_ARRIVE Phaser", "PHASER_ARRIVE Phaser", "THREAD_END");
        TraceEvent advanced = first(run, "phaseWaiter", EventKind.BARRIER_AWAIT_END);
        assertThat(advanced.value()).isEqualTo(1);
        assertThat(advanced.text()).isEqualTo("arriveAndAwaitAdvance");
        assertThat(run.of("phaseArriver").stream().filter(e -> e.kind() == EventKind.PHASER_ARRIVE)
                .map(e -> e.text() + " " + e.value())).containsExactly("arrive 0", "arriveAndDeregister 0");
        assertThat(first(run, "phaseArriver", EventKind.PHASER_REGISTER).value()).isEqualTo(1);
        // the last arrival happened before the waiter saw the advance
        TraceEvent lastArrival = run.of("phaseArriver").stream().filter(e -> e.kind() == EventKind.PHASER_ARRIVE)
                .reduce((a, b) -> b).orElseThrow();
        TraceEvent waited = first(run, "phaseWaiter", EventKind.BARRIER_AWAIT_BEGIN);
        assertThat(advanced.time()).isGreaterThan(Math.max(lastArrival.time(), waited.time()));

        // an Exchanger between two threads
        for (String side : List.of("left", "right")) {
            assertThat(run.sequence(side)).containsExactly("THREAD_BEGIN",
                    "EXCHANGE_BEGIN Exchanger", "EXCHANGE_END Exchanger", "THREAD_END");
        }

        // a take interrupted while blocked: the END says so, and the exception reached the program
        assertThat(run.sequence("blockedTaker", EventKind.values())).containsExactly("THREAD_BEGIN",
                "CHANNEL_RECV_BEGIN LinkedBlockingQueue", "CHANNEL_RECV_END LinkedBlockingQueue interrupted",
                "THREAD_END");
        assertThat(first(run, "blockedTaker", EventKind.CHANNEL_RECV_BEGIN).object().capacity()).isEqualTo(5);

        // the JDK's own locks and parking inside these classes never show up as the program's
        assertThat(run.events).noneMatch(e -> e.kind() == EventKind.PARK_BEGIN || e.kind() == EventKind.PARK_END
                || e.kind() == EventKind.UNPARK || e.kind().name().startsWith("LOCK_")
                || e.kind().name().startsWith("CONDITION_"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tangle.agent.Jdks#all")
    void lessCommonFormsTimeoutsAndExceptions(Jdks jdk) throws Exception {
        AgentRun run = AgentRun.run(jdk, dir, "fixtures.ChannelEdges");
        assertThat(run.exitCode).as(run.stderr).isZero();
        // every exception reached the program unchanged, every result is the real one
        assertThat(run.stdout.lines()).containsExactly("delayed true", "deque ba", "transfer false",
                "add Queue full", "remove NoSuchElementException", "latch false", "semaphore false",
                "exchange TimeoutException", "barrier TimeoutException", "broken BrokenBarrierException", "own m");

        // DelayQueue's put(Delayed)/take() erase to Delayed: matched through its bridges, the result cast back
        assertThat(run.sequence("delayed")).containsExactly("THREAD_BEGIN",
                "CHANNEL_SEND_BEGIN DelayQueue", "CHANNEL_SEND_END DelayQueue",
                "CHANNEL_RECV_BEGIN DelayQueue", "CHANNEL_RECV_END DelayQueue", "THREAD_END");
        assertThat(first(run, "delayed", EventKind.CHANNEL_SEND_END).object().capacity())
                .isEqualTo(Integer.MAX_VALUE);
        assertThat(run.sequence("deque")).containsExactly("THREAD_BEGIN",
                "CHANNEL_SEND_BEGIN LinkedBlockingDeque", "CHANNEL_SEND_END LinkedBlockingDeque",
                "CHANNEL_SEND_BEGIN LinkedBlockingDeque try", "CHANNEL_SEND_END LinkedBlockingDeque try",
                "CHANNEL_RECV_BEGIN LinkedBlockingDeque", "CHANNEL_RECV_END LinkedBlockingDeque",
                "CHANNEL_RECV_BEGIN LinkedBlockingDeque timed", "CHANNEL_RECV_END LinkedBlockingDeque timed",
                "THREAD_END");
        assertThat(run.of("deque").stream().filter(e -> e.kind() == EventKind.CHANNEL_SEND_END
                || e.kind() == EventKind.CHANNEL_RECV_END).map(e -> e.text() + " " + e.value()))
                .containsExactly("putFirst 1", "offerLast 2", "takeLast 1", "pollFirst 0");
        assertThat(first(run, "deque", EventKind.CHANNEL_SEND_END).object().capacity()).isEqualTo(2);
        // LinkedTransferQueue: size() walks the queue, so the size is not taken (-1)
        assertThat(run.sequence("transfer")).containsExactly("THREAD_BEGIN",
                "CHANNEL_SEND_BEGIN LinkedTransferQueue try", "CHANNEL_SEND_END LinkedTransferQueue try,failed",
                "THREAD_END");
        assertThat(first(run, "transfer", EventKind.CHANNEL_SEND_END).value()).isEqualTo(-1);
        assertThat(first(run, "transfer", EventKind.CHANNEL_SEND_END).text()).isEqualTo("tryTransfer");

        // add on a full queue and remove on an empty one throw: the END says FAILED
        assertThat(run.sequence("thrower")).containsExactly("THREAD_BEGIN",
                "CHANNEL_SEND_BEGIN ArrayBlockingQueue try", "CHANNEL_SEND_END ArrayBlockingQueue try",
                "CHANNEL_SEND_BEGIN ArrayBlockingQueue try", "CHANNEL_SEND_END ArrayBlockingQueue try,failed",
                "CHANNEL_RECV_BEGIN ArrayBlockingQueue try", "CHANNEL_RECV_END ArrayBlockingQueue try",
                "CHANNEL_RECV_BEGIN ArrayBlockingQueue try", "CHANNEL_RECV_END ArrayBlockingQueue try,failed",
                "THREAD_END");

        // timeouts of each synchronizer, then a barrier broken by the timeout
        assertThat(run.sequence("timeouts")).containsExactly("THREAD_BEGIN",
                "LATCH_AWAIT_BEGIN CountDownLatch timed", "LATCH_AWAIT_END CountDownLatch timed,timedOut",
                "SEMAPHORE_ACQUIRE_BEGIN Semaphore try,timed",
                "SEMAPHORE_ACQUIRE_END Semaphore try,timed,timedOut",
                "EXCHANGE_BEGIN Exchanger timed", "EXCHANGE_END Exchanger timed,timedOut",
                "BARRIER_AWAIT_BEGIN CyclicBarrier timed", "BARRIER_AWAIT_END CyclicBarrier timed,timedOut",
                "BARRIER_AWAIT_BEGIN CyclicBarrier", "BARRIER_AWAIT_END CyclicBarrier failed",
                "THREAD_END");
        assertThat(run.of("timeouts").stream().filter(e -> e.kind().name().startsWith("SEMAPHORE"))
                .map(TraceEvent::value)).containsExactly(2L, 2L);
        assertThat(run.of("timeouts").stream().filter(e -> e.kind().name().endsWith("_BEGIN")
                && e.kind() != EventKind.THREAD_BEGIN && e.kind() != EventKind.SEMAPHORE_ACQUIRE_BEGIN)
                .map(TraceEvent::value)).containsExactly(1_000_000L, 1_000_000L, 1_000_000L, 0L); // last: untimed
        assertThat(first(run, "timeouts", EventKind.SEMAPHORE_ACQUIRE_BEGIN).object().capacity()).isZero();

        // the program's own queue class: recorded like the JDK's; size unknown, capacity from its methods
        assertThat(run.sequence("own")).containsExactly("THREAD_BEGIN",
                "CHANNEL_SEND_BEGIN Mailbox", "CHANNEL_SEND_END Mailbox",
                "CHANNEL_RECV_BEGIN Mailbox", "CHANNEL_RECV_END Mailbox", "THREAD_END");
        assertThat(first(run, "own", EventKind.CHANNEL_SEND_END).value()).isEqualTo(-1);
        assertThat(first(run, "own", EventKind.CHANNEL_SEND_BEGIN).object().capacity()).isEqualTo(3);

        assertThat(run.events).noneMatch(e -> e.kind() == EventKind.PARK_BEGIN || e.kind() == EventKind.UNPARK
                || e.kind().name().startsWith("LOCK_"));
    }

    private static TraceEvent first(AgentRun run, String thread, EventKind kind) {
        return run.of(thread).stream().filter(e -> e.kind() == kind).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " in " + run.sequence(thread)));
    }
}
