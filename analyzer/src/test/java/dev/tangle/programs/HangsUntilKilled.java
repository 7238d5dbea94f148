package dev.tangle.programs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Programs that a test dumps (jstack, jcmd, JFR) while they run: each prints "ready" when it is in the state the
 * dump must show, then stays so until it is killed. {@code args[0]}:
 * <ul>
 *   <li>{@code monitors}: "ab" and "ba" take two monitors in opposite orders and deadlock; main waits for them
 *       (join, untimed);</li>
 *   <li>{@code upgrade}: "upgrader" takes a ReentrantReadWriteLock's read lock, then asks for its write lock
 *       (never granted); main joins it (with {@code args[1]} "sleeping": main sleeps in a loop instead);</li>
 *   <li>{@code spin}: "spinner" spins on a volatile flag nobody sets; main joins it;</li>
 *   <li>{@code correct}: a producer and two consumers pass items through a bounded queue, a worker sleeps between
 *       ticks and takes a lock; nothing is wrong.</li>
 * </ul>
 */
public final class HangsUntilKilled {
    static volatile boolean stop;
    static volatile long sink;

    public static void main(String[] args) throws Exception {
        List<Thread> threads = new ArrayList<>();
        switch (args[0]) {
            case "monitors" -> {
                Object a = new Object();
                Object b = new Object();
                CyclicBarrier bothHoldOne = new CyclicBarrier(2);
                threads.add(new Thread(() -> both(a, b, bothHoldOne), "ab"));
                threads.add(new Thread(() -> both(b, a, bothHoldOne), "ba"));
                threads.forEach(Thread::start);
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (threads.stream().anyMatch(t -> t.getState() != Thread.State.BLOCKED)) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("no deadlock within a minute");
                    }
                    Programs.pause(10);
                }
            }
            case "upgrade" -> {
                ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
                Thread t = new Thread(() -> {
                    rw.readLock().lock();
                    rw.writeLock().lock(); // never granted while this thread reads
                }, "upgrader");
                threads.add(t);
                t.start();
                while (!rw.hasQueuedThread(t)) {
                    Programs.pause(10);
                }
            }
            case "spin" -> {
                Thread t = new Thread(() -> {
                    while (!stop) {
                        sink++;
                    }
                }, "spinner");
                threads.add(t);
                t.start();
                Programs.pause(100);
            }
            case "correct" -> {
                BlockingQueue<Integer> queue = new ArrayBlockingQueue<>(4);
                Object lock = new Object();
                threads.add(new Thread(() -> {
                    for (int i = 0; !stop; i++) {
                        try {
                            queue.put(i);
                            Thread.sleep(2);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "producer"));
                for (int c = 0; c < 2; c++) {
                    threads.add(new Thread(() -> {
                        while (!stop) {
                            try {
                                Integer item = queue.take();
                                synchronized (lock) {
                                    sink += item;
                                }
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    }, "consumer-" + c));
                }
                threads.add(new Thread(() -> {
                    while (!stop) {
                        Programs.pause(20);
                        synchronized (lock) {
                            sink++;
                        }
                    }
                }, "ticker"));
                threads.forEach(Thread::start);
                Programs.pause(300);
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.out.println("ready");
        System.out.flush();
        if (args.length > 1 && args[1].equals("sleeping")) {
            while (!stop) {
                Thread.sleep(50); // main could still do anything: one dump cannot tell who reads
            }
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    /** Each thread holds its first monitor before either asks for its second: the deadlock forms under any load. */
    private static void both(Object first, Object second, CyclicBarrier bothHoldOne) {
        synchronized (first) {
            try {
                bothHoldOne.await();
            } catch (InterruptedException | BrokenBarrierException e) {
                return;
            }
            synchronized (second) {
                sink++;
            }
        }
    }
}
