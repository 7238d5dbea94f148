package dev.tangle.bench.parts;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The building blocks of the agent's recording path, measured one by one without the agent, so the cost of
 * one recorded acquire+release can be broken down (run without the agent:
 * {@code java -jar benchmarks/target/benchmarks.jar dev.tangle.bench.parts}). Each benchmark does the step the
 * way {@code ThreadRecorder} does it, around the same non-inlined call as the lock benchmarks; subtract
 * {@link #call}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HotPathParts {
    private static final ThreadLocal<HotPathParts> CURRENT = new ThreadLocal<>();
    private static final AtomicLong LOST = new AtomicLong();
    private static final VarHandle PUBLISHED;
    private static volatile boolean recording = true;
    private static volatile long coarse;

    static {
        try {
            PUBLISHED = MethodHandles.lookup().findVarHandle(HotPathParts.class, "published", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Object monitor = new Object();
    private WeakReference<Object> ref;
    private final long[] ring = new long[8192 * 5]; // the default buffer: 8192 events of 5 longs
    private long head;
    private volatile long published;
    private volatile long consumed;
    private int counter;

    @Setup
    public void setUp() {
        CURRENT.set(this);
        ref = new WeakReference<>(monitor);
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    void work() {
        counter++;
    }

    @Benchmark
    public int call() {
        work();
        return counter;
    }

    /** {@code ThreadRecorder.current()}: a volatile flag and a ThreadLocal lookup (done twice per pair). */
    @Benchmark
    public int threadLocalGet() {
        work();
        return recording && CURRENT.get() == this ? 1 : 0;
    }

    /** {@code entry(o)}: identity hash of an unlocked object, then the cache's WeakReference check. */
    @Benchmark
    public int identityHashAndWeakGet() {
        work();
        int h = System.identityHashCode(monitor);
        return ref.get() == monitor ? h : 0;
    }

    /** Identity hash taken while the monitor is held (the notes' JDK 17 suspicion); compare with syncOnly. */
    @Benchmark
    public int identityHashWhileLocked() {
        synchronized (monitor) {
            work();
            return System.identityHashCode(monitor);
        }
    }

    @Benchmark
    public int syncOnly() {
        synchronized (monitor) {
            work();
        }
        return counter;
    }

    /** {@code Recorder.lostEvents()}: one global AtomicLong increment, done for every dropped event. */
    @Benchmark
    public long globalAtomicIncrement() {
        work();
        return LOST.incrementAndGet();
    }

    /** Three {@code put}s as the recorder does them (full check, 5 stores, publish), never full. */
    @Benchmark
    public long threePuts() {
        work();
        put(1, coarse, 42, 7);
        put(2, coarse, 42, 7);
        put(3, coarse, 42, 7);
        return head;
    }

    /** {@code System.nanoTime()}: what each precise timestamp costs. */
    @Benchmark
    public long nanoTime() {
        work();
        return System.nanoTime();
    }

    private void put(int kind, long time, long object, int site) {
        long h = head;
        if (h - consumed >= 8191) {
            return;
        }
        int i = (int) (h & 8191) * 5;
        long[] r = ring;
        r[i] = time;
        r[i + 1] = (long) kind << 56;
        r[i + 2] = object;
        r[i + 3] = (long) site << 32;
        r[i + 4] = 1;
        head = h + 1;
        PUBLISHED.setRelease(this, h + 1);
        if ((h & 4095) == 0) {
            consumed = h; // stands in for the writer (which stores consumed once per drain): never full
        }
    }
}
