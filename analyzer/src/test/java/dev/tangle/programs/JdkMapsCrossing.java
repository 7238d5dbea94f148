package dev.tangle.programs;

import java.util.Collections;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Two threads compare two synchronized maps with {@code equals}, each from its own side: {@code a.equals(b)} holds
 * a's monitor while it calls {@code b.get}, and the other thread the reverse (JDK-6582568 for Hashtable; the same
 * for {@code Collections.synchronizedMap}). Arguments: {@code hashtable} or {@code synchronizedMap}, then
 * <ul>
 *   <li>{@code crossing}: both at once. The first thread to compare a value (holding its own map) waits until
 *   the other is blocked entering that map, holding the other map: its next {@code get} deadlocks (daemon
 *   threads; main ends once both are blocked);</li>
 *   <li>{@code sequential}: the same two calls one after the other (the second thread starts when the first has
 *   ended), which never hangs in this run but can when the calls overlap;</li>
 *   <li>{@code sameOrder}: both threads call {@code a.equals(b)} at once, a few times (correct).</li>
 * </ul>
 */
public final class JdkMapsCrossing {
    private static final ThreadLocal<Boolean> WAITED = ThreadLocal.withInitial(() -> false);
    private static volatile Thread ab;
    private static volatile Thread ba;

    /**
     * A map value whose {@code equals}, in crossing mode, waits once until the other thread is blocked on the
     * monitor of this value's map (which the comparing thread holds).
     */
    static final class Gate {
        private final boolean crossing;
        private Object map;

        Gate(boolean crossing) {
            this.crossing = crossing;
        }

        @Override
        public boolean equals(Object other) {
            if (crossing && !WAITED.get()) {
                WAITED.set(true);
                Programs.awaitBlockedOn(Thread.currentThread() == ab ? ba : ab, map);
            }
            return other instanceof Gate;
        }

        @Override
        public int hashCode() {
            return 1;
        }
    }

    public static void main(String[] args) throws Exception {
        boolean hashtable = args[0].equals("hashtable");
        String mode = args[1];
        boolean crossing = mode.equals("crossing");
        Map<String, Gate> a = map(hashtable, crossing);
        Map<String, Gate> b = map(hashtable, crossing);
        switch (mode) {
            case "crossing" -> {
                ab = daemon(() -> a.equals(b), "equals(a, b)");
                ba = daemon(() -> b.equals(a), "equals(b, a)");
                ab.start();
                ba.start();
                Programs.awaitBlockedOn(ab, b);
                Programs.awaitBlockedOn(ba, a);
                Thread.sleep(600); // a few periods of the stall watcher
                System.out.println(ab.getState() + " " + ba.getState());
            }
            case "sequential" -> {
                Thread ab = new Thread(() -> a.equals(b), "equals(a, b)");
                ab.start();
                ab.join();
                Thread ba = new Thread(() -> b.equals(a), "equals(b, a)");
                ba.start();
                ba.join();
            }
            case "sameOrder" -> {
                Runnable compare = () -> {
                    for (int i = 0; i < 20; i++) {
                        a.equals(b);
                    }
                };
                Thread first = new Thread(compare, "equals(a, b) 1");
                Thread second = new Thread(compare, "equals(a, b) 2");
                first.start();
                second.start();
                first.join();
                second.join();
            }
            default -> throw new IllegalArgumentException(mode);
        }
    }

    private static Map<String, Gate> map(boolean hashtable, boolean crossing) {
        Supplier<Map<String, Gate>> empty = hashtable ? Hashtable::new
                : () -> Collections.synchronizedMap(new HashMap<>());
        Map<String, Gate> m = empty.get();
        Gate first = new Gate(crossing);
        Gate second = new Gate(crossing);
        first.map = m; // the monitor equals holds: the Hashtable, or the wrapper (its own mutex)
        second.map = m;
        m.put("first", first);
        m.put("second", second);
        return m;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
