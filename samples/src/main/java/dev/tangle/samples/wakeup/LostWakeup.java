package dev.tangle.samples.wakeup;

import dev.tangle.samples.HangNotice;
import dev.tangle.samples.Pause;

/**
 * A lost wake-up: the postman delivers a letter and calls {@code notify()}; the reader, still busy, calls
 * {@code wait()} only afterwards, and without first checking whether a letter is already there. A notify with
 * nobody waiting is lost, so the reader waits for ever, and main, waiting for the reader to finish, with it.
 *
 * <p>It hangs for ever; see {@link HangNotice} for how {@code tangle demo} stops it. {@link GuardedWait} is the
 * remedy.
 */
public final class LostWakeup {
    private LostWakeup() {
    }

    static final class Mailbox {
        private String letter;

        synchronized void deliver(String letter) {
            this.letter = letter;
            notify();
        }

        /** The bug: waits without checking the condition first (and without a loop). */
        synchronized String receiveCarelessly() throws InterruptedException {
            wait();
            return letter;
        }

        /** The remedy: wait only while there is nothing there, re-checking after every wake-up. */
        synchronized String receive() throws InterruptedException {
            while (letter == null) {
                wait();
            }
            return letter;
        }
    }

    static Thread startReader(Mailbox mailbox, boolean careful) {
        Thread reader = new Thread(() -> {
            Pause.millis(100); // busy with something else when the letter comes
            try {
                String letter = careful ? mailbox.receive() : mailbox.receiveCarelessly();
                System.out.println("read: " + letter);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "reader");
        reader.start();
        return reader;
    }

    public static void main(String[] args) throws InterruptedException {
        HangNotice.after(700);
        Mailbox mailbox = new Mailbox();
        Thread reader = startReader(mailbox, false);
        mailbox.deliver("the letter"); // nobody waits yet: this notify is lost
        reader.join();
    }
}
