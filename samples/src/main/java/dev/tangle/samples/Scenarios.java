package dev.tangle.samples;

import dev.tangle.samples.channels.ChannelDeadlock;
import dev.tangle.samples.channels.OneSideReceivesFirst;
import dev.tangle.samples.channels.PartialDeadlock;
import dev.tangle.samples.channels.ReceiverFirst;
import dev.tangle.samples.deadlock.PrintSumDeadlock;
import dev.tangle.samples.deadlock.PrintSumOrdered;
import dev.tangle.samples.deadlock.TellerBackoff;
import dev.tangle.samples.deadlock.TellerCycle;
import dev.tangle.samples.inversion.LockOrderInversion;
import dev.tangle.samples.inversion.OneLockOrder;
import dev.tangle.samples.leak.CancelledReader;
import dev.tangle.samples.leak.ExecutorPerRequest;
import dev.tangle.samples.leak.ExecutorShutDown;
import dev.tangle.samples.leak.LeakedReader;
import dev.tangle.samples.livelock.Hallway;
import dev.tangle.samples.livelock.HallwayWithBackoff;
import dev.tangle.samples.patterns.Bridge;
import dev.tangle.samples.patterns.BoundedBuffer;
import dev.tangle.samples.patterns.ErrGroup;
import dev.tangle.samples.patterns.Heartbeat;
import dev.tangle.samples.patterns.OrDone;
import dev.tangle.samples.patterns.Pipeline;
import dev.tangle.samples.patterns.RateLimiter;
import dev.tangle.samples.patterns.Tee;
import dev.tangle.samples.patterns.WorkerPool;
import dev.tangle.samples.philosophers.DiningPhilosophers;
import dev.tangle.samples.philosophers.OrderedForks;
import dev.tangle.samples.pool.PoolSelfDeadlock;
import dev.tangle.samples.pool.SeparatePools;
import dev.tangle.samples.rwlock.ReadWriteUpgrade;
import dev.tangle.samples.rwlock.ReleaseThenWrite;
import dev.tangle.samples.starvation.FairShare;
import dev.tangle.samples.starvation.GreedyAndPolite;
import dev.tangle.samples.wakeup.GuardedWait;
import dev.tangle.samples.wakeup.LostWakeup;

import java.util.List;
import java.util.Optional;

import static dev.tangle.samples.Scenario.bug;
import static dev.tangle.samples.Scenario.correct;

/**
 * The demo catalogue: the classic concurrency lessons (from Go's canon, told in Java), each a buggy program with
 * its fixed twin, then correct programs that must stay clean. {@code tangle demo} lists and runs these; the
 * analyser's tests run every one under the agent and check its finding.
 */
public final class Scenarios {
    private static final List<Scenario> ALL = List.of(
            bug("deadlock-monitors", "printSum(a, b) and printSum(b, a) lock two values in opposite orders",
                    "DEADLOCK", List.of("printSum(a, b)", "printSum(b, a)"),
                    PrintSumDeadlock.class, PrintSumOrdered.class, false),
            bug("deadlock-locks", "three tellers transfer round a cycle of accounts with ReentrantLocks",
                    "DEADLOCK", List.of("teller-1", "teller-2", "teller-3"),
                    TellerCycle.class, TellerBackoff.class, false),
            bug("dining-philosophers", "five philosophers each take the left fork, then the right",
                    "DEADLOCK", List.of("philosopher-1", "philosopher-2", "philosopher-3", "philosopher-4",
                            "philosopher-5"),
                    DiningPhilosophers.class, OrderedForks.class, false),
            bug("channel-deadlock", "a send on an unbuffered channel nobody receives; main waits for the reply",
                    "COMMUNICATION_DEADLOCK", List.of("main", "cashier"),
                    ChannelDeadlock.class, ReceiverFirst.class, true),
            bug("partial-deadlock", "two workers fall out of step on a pair of channels, both send first; the rest carries on",
                    "COMMUNICATION_DEADLOCK", List.of("ledger-reconciler", "bank-reconciler"),
                    PartialDeadlock.class, OneSideReceivesFirst.class, false),
            bug("lock-order-inversion", "two code paths take the same two locks in opposite orders, at different"
                            + " times", "POTENTIAL_DEADLOCK", List.of("payments", "auditor"),
                    LockOrderInversion.class, OneLockOrder.class, false),
            bug("livelock-hallway", "two people in a hallway step aside in lockstep and never get by",
                    "LIVELOCK", List.of("alice", "bob"),
                    Hallway.class, HallwayWithBackoff.class, false),
            bug("starvation-greedy-polite", "a greedy worker keeps an unfair lock; the polite one waits",
                    "STARVATION", List.of("polite", "greedy"),
                    GreedyAndPolite.class, FairShare.class, false),
            bug("goroutine-leak", "a worker reads from a queue nobody writes to, left behind by its caller",
                    "THREAD_LEAK", List.of("receipt-printer-1", "receipt-printer-2", "receipt-printer-3"),
                    LeakedReader.class, CancelledReader.class, false),
            bug("executor-leak", "a thread pool per request, never shut down",
                    "THREAD_LEAK", List.of("pool-1-thread-1", "pool-1-thread-2", "pool-2-thread-1",
                            "pool-2-thread-2", "pool-3-thread-1", "pool-3-thread-2"),
                    ExecutorPerRequest.class, ExecutorShutDown.class, false),
            bug("lost-wakeup", "notify() before wait(), and a wait() that checks nothing",
                    "COMMUNICATION_DEADLOCK", List.of("main", "reader"),
                    LostWakeup.class, GuardedWait.class, true),
            bug("rwlock-upgrade", "a reader asks for the write lock while it holds the read lock",
                    "DEADLOCK", List.of("cache-refresher"),
                    ReadWriteUpgrade.class, ReleaseThenWrite.class, false),
            bug("pool-self-deadlock", "tasks on a full pool wait for subtasks queued on the same pool",
                    "COMMUNICATION_DEADLOCK", List.of("main", "pool-1-thread-1", "pool-1-thread-2"),
                    PoolSelfDeadlock.class, SeparatePools.class, true),
            correct("pipeline", "generator, fan-out, fan-in, cancelled once it has enough", Pipeline.class),
            correct("worker-pool", "a fixed pool renders thumbnails and is shut down", WorkerPool.class),
            correct("bounded-buffer", "producer/consumer on a Condition-based bounded buffer", BoundedBuffer.class),
            correct("heartbeat", "a long job sends heartbeats; its supervisor waits with a timeout",
                    Heartbeat.class),
            correct("rate-limiter", "a token bucket (Semaphore) refilled by a scheduled task", RateLimiter.class),
            correct("or-done", "a reader that stops when told to, however silent its input", OrDone.class),
            correct("bridge", "a channel of channels read as one stream", Bridge.class),
            correct("tee", "one channel copied to two consumers", Tee.class),
            correct("errgroup", "parallel downloads; the first error cancels the rest", ErrGroup.class));

    private Scenarios() {
    }

    public static List<Scenario> all() {
        return ALL;
    }

    public static Optional<Scenario> named(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
