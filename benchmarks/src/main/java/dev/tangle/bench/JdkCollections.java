package dev.tangle.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.util.Collections;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.Vector;
import java.util.concurrent.TimeUnit;

/**
 * One thread, its own JDK collections: the cost of the agent's JDK monitor hooks (option {@code jdkMonitors})
 * on the operations programs do with them. Each operation is two calls, each one synchronized method (Hashtable,
 * Vector, StringBuffer: MONITOR_ACQUIRED with NO_REQUEST and MONITOR_RELEASE) or one {@code synchronized (mutex)}
 * block (the wrapper: MONITOR_REQUEST, MONITOR_ACQUIRED, MONITOR_RELEASE). {@link #hashMap} is the same work
 * on a plain HashMap, which the agent does not touch. {@link #nestedSync} requests a monitor while holding
 * another, where {@code stacks=first} looks its stack up by site and held-lock context.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JdkCollections {
    private final Hashtable<Integer, Integer> hashtable = new Hashtable<>();
    private final HashMap<Integer, Integer> plain = new HashMap<>();
    private final Map<Integer, Integer> synchronizedMap = Collections.synchronizedMap(new HashMap<>());
    private final Vector<Integer> vector = new Vector<>();
    private final StringBuffer buffer = new StringBuffer();
    private final Object outer = new Object();
    private final Object inner = new Object();
    private int i;

    /** Reference: put and get on a HashMap (no monitor). */
    @Benchmark
    public Integer hashMap() {
        int k = ++i & 255;
        plain.put(k, k);
        return plain.get(k);
    }

    /** Hashtable put and get: two synchronized methods. */
    @Benchmark
    public Integer hashtable() {
        int k = ++i & 255;
        hashtable.put(k, k);
        return hashtable.get(k);
    }

    /** Collections.synchronizedMap put and get: two synchronized (mutex) blocks. */
    @Benchmark
    public Integer synchronizedMap() {
        int k = ++i & 255;
        synchronizedMap.put(k, k);
        return synchronizedMap.get(k);
    }

    /** Vector add and get (the vector is kept small): two synchronized methods, a third every 256 operations. */
    @Benchmark
    public Integer vector() {
        int k = ++i & 255;
        if (k == 0) {
            vector.clear();
        }
        vector.add(k);
        return vector.get(vector.size() - 1);
    }

    /** StringBuffer append and length (kept short): two synchronized methods, a third every 256 operations. */
    @Benchmark
    public int stringBuffer() {
        int k = ++i & 255;
        if (k == 0) {
            buffer.setLength(0);
        }
        buffer.append('x');
        return buffer.length();
    }

    /** A monitor requested while another is held (program code, not the JDK's). */
    @Benchmark
    public int nestedSync() {
        synchronized (outer) {
            synchronized (inner) {
                return ++i;
            }
        }
    }
}
