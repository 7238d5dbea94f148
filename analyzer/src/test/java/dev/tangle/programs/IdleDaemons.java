package dev.tangle.programs;

import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

/**
 * The clean twin of the stuck daemons: daemons that are idle, not stuck, when the program ends. "worker-a" takes
 * from a queue that the daemon "ticker" still feeds; "worker-b" takes from one that main fed until it ended;
 * "sleeper" sleeps, "timed-waiter" waits with a timeout, "poller" polls with a timeout; a daemon pool's worker is
 * idle; a daemon Timer waits for its next task.
 */
public final class IdleDaemons {
    private static Thread daemon(Runnable body, String name) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void takeForever(BlockingQueue<Integer> queue) {
        try {
            while (true) {
                queue.take();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) throws Exception {
        BlockingQueue<Integer> fedByTicker = new LinkedBlockingQueue<>();
        BlockingQueue<Integer> fedByMain = new LinkedBlockingQueue<>();
        daemon(() -> takeForever(fedByTicker), "worker-a");
        daemon(() -> takeForever(fedByMain), "worker-b");
        daemon(() -> {
            for (int i = 0; ; i++) {
                fedByTicker.add(i);
                Programs.pause(20);
            }
        }, "ticker");
        daemon(() -> Programs.pause(60_000), "sleeper");
        Object lock = new Object();
        daemon(() -> {
            synchronized (lock) {
                try {
                    lock.wait(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "timed-waiter");
        daemon(() -> {
            try {
                new SynchronousQueue<Integer>().poll(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "poller");
        ExecutorService pool = Executors.newFixedThreadPool(1, r -> {
            Thread t = new Thread(r, "daemon-pool-worker");
            t.setDaemon(true);
            return t;
        });
        pool.submit(() -> 1).get();
        Timer timer = new Timer("daemon-timer", true);
        timer.schedule(new TimerTask() {
            @Override
            public void run() {
            }
        }, 1);
        for (int i = 0; i < 10; i++) {
            fedByMain.add(i);
            Programs.pause(20);
        }
        Programs.pause(100);
    }
}
