package dev.tangle.programs;

/**
 * A lost wake-up on a daemon: "starter" notifies the monitor, then starts "waiter" (a daemon), which waits on it
 * with no condition to check; the notify came before the wait and nothing notifies after it.
 */
public final class DaemonNotifiedBeforeWait {
    public static void main(String[] args) throws InterruptedException {
        Object ready = new Object();
        Thread waiter = new Thread(() -> {
            synchronized (ready) {
                try {
                    ready.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "waiter");
        waiter.setDaemon(true);
        Thread starter = new Thread(() -> {
            synchronized (ready) {
                ready.notifyAll(); // too early: nobody waits yet
            }
            waiter.start();
        }, "starter");
        starter.start();
        starter.join();
        Programs.awaitWaiting(waiter); // then the program ends
    }
}
