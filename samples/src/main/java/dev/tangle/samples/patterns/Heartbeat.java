package dev.tangle.samples.patterns;

import dev.tangle.samples.Pause;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A correct heartbeat: a long job sends a heartbeat every 20 ms while it works, and its supervisor waits for
 * each beat with a timeout, so a silent worker would be noticed instead of waited for. The job ends with a
 * final message.
 */
public final class Heartbeat {
    private static final String DONE = "done";

    private Heartbeat() {
    }

    public static void main(String[] args) throws InterruptedException {
        BlockingQueue<String> beats = new LinkedBlockingQueue<>();
        Thread job = new Thread(() -> {
            for (int chunk = 1; chunk <= 10; chunk++) {
                Pause.millis(20); // a piece of the work
                beats.add("beat " + chunk);
            }
            beats.add(DONE);
        }, "indexer");
        job.start();
        int seen = 0;
        for (String beat = beats.poll(500, TimeUnit.MILLISECONDS); !DONE.equals(beat);
                beat = beats.poll(500, TimeUnit.MILLISECONDS)) {
            if (beat == null) {
                System.out.println("no heartbeat for 500 ms: the indexer is stuck");
                job.interrupt();
                break;
            }
            seen++;
        }
        job.join();
        System.out.println(seen + " heartbeats, then done");
    }
}
