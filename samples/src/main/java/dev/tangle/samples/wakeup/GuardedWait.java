package dev.tangle.samples.wakeup;

/**
 * The remedy for {@link LostWakeup}: the reader waits in a {@code while} loop guarded by the condition it waits
 * for. A letter delivered before it waits is seen at once; a spurious wake-up goes back to waiting.
 */
public final class GuardedWait {
    private GuardedWait() {
    }

    public static void main(String[] args) throws InterruptedException {
        LostWakeup.Mailbox mailbox = new LostWakeup.Mailbox();
        Thread reader = LostWakeup.startReader(mailbox, true);
        mailbox.deliver("the letter");
        reader.join();
    }
}
