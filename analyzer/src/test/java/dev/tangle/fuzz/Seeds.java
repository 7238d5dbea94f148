package dev.tangle.fuzz;

import dev.tangle.model.SyntheticTrace;
import dev.tangle.trace.EventKind;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The valid traces the fuzzers mutate: small real recordings of sample programs under the agent (a monitor
 * deadlock, a channel deadlock cut by a kill, a semaphore rate limiter, a read-write lock upgrade, a worker pool;
 * recorded with {@code ./tangle record --no-analyze}), and a synthetic trace with what those lack (conditions,
 * stacks, latches, futures, barriers, renames, interrupts, joins).
 */
public final class Seeds {
    private static final String[] RECORDED = {"PrintSumDeadlock", "ChannelDeadlock", "RateLimiter",
            "ReadWriteUpgrade", "WorkerPool"};
    private static final List<byte[]> ALL = load();

    private Seeds() {
    }

    public static List<byte[]> all() {
        return ALL;
    }

    private static List<byte[]> load() {
        List<byte[]> seeds = new ArrayList<>();
        for (String name : RECORDED) {
            try (InputStream in = Seeds.class.getResourceAsStream("seeds/" + name + ".tngl")) {
                if (in == null) {
                    throw new IllegalStateException("missing seed " + name);
                }
                seeds.add(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        seeds.add(synthetic());
        return List.copyOf(seeds);
    }

    private static byte[] synthetic() {
        SyntheticTrace t = new SyntheticTrace().chunkSize(4);
        long lock = t.lock("L");
        long cond = t.condition(lock);
        long latch = t.latch(1);
        long future = t.futureTask();
        long barrier = t.barrier(2);
        long queue = t.queue("java.util.concurrent.ArrayBlockingQueue", 1);
        int stack = t.stack("dev.example.App.run", "dev.example.App.main");
        t.begin(1, 1, "main", SyntheticTrace.PREEXISTING).start(2, 1, 2, "worker", 0, stack);
        t.lock(10, 2, lock, 0).ev(12, 2, EventKind.CONDITION_AWAIT_BEGIN, cond, SyntheticTrace.TIMED, 50, null, stack);
        t.lock(13, 1, lock, 0).ev(15, 1, EventKind.CONDITION_SIGNAL, cond).unlock(16, 1, lock, 0);
        t.ev(17, 2, EventKind.CONDITION_AWAIT_END, cond).unlock(18, 2, lock, 0);
        t.ev(20, 2, EventKind.LATCH_AWAIT_BEGIN, latch).ev(21, 1, EventKind.LATCH_COUNT_DOWN, latch, 0, 0)
                .ev(22, 2, EventKind.LATCH_AWAIT_END, latch);
        t.ev(23, 1, EventKind.FUTURE_GET_BEGIN, future).ev(24, 2, EventKind.FUTURE_COMPLETE, future)
                .ev(25, 1, EventKind.FUTURE_GET_END, future);
        t.ev(26, 1, EventKind.BARRIER_AWAIT_BEGIN, barrier).ev(27, 2, EventKind.BARRIER_AWAIT_BEGIN, barrier)
                .ev(28, 1, EventKind.BARRIER_AWAIT_END, barrier).ev(28, 2, EventKind.BARRIER_AWAIT_END, barrier);
        t.ev(29, 2, EventKind.CHANNEL_SEND_BEGIN, queue, 0, 0, "put").ev(30, 2, EventKind.CHANNEL_SEND_END, queue,
                0, 1, "put");
        t.ev(31, 1, EventKind.THREAD_RENAME, 2, 0, 0, "renamed").ev(32, 1, EventKind.INTERRUPT, 2)
                .ev(33, 1, EventKind.JOIN_BEGIN, 2).ev(34, 2, EventKind.SLEEP_BEGIN, 0, 0, 100)
                .ev(35, 2, EventKind.SLEEP_END, 0, SyntheticTrace.INTERRUPTED, 0).end(36, 2)
                .ev(37, 1, EventKind.JOIN_END, 2);
        return t.endAt(40).bytes();
    }
}
