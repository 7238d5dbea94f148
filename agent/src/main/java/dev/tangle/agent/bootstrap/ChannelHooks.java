package dev.tangle.agent.bootstrap;

import dev.tangle.trace.EventFlags;
import dev.tangle.trace.EventKind;

import java.util.concurrent.BlockingDeque;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TransferQueue;

/**
 * Called from application code instead of the sends and receives of {@code BlockingQueue}, {@code BlockingDeque}
 * and {@code TransferQueue} (the JDK's and the program's own): CHANNEL_SEND_BEGIN/END or CHANNEL_RECV_BEGIN/END
 * around the real call, text = the method called. Calls that never block carry TRY, timed ones TIMED (BEGIN
 * value = timeout ns); a refused send or empty receive ends FAILED (TIMED_OUT for the timed forms), an exception
 * ends INTERRUPTED or FAILED and propagates unchanged.
 *
 * <p>The END value is the queue's size after the call where the JDK keeps it in a field ({@link QueueSizes});
 * -1 for LinkedTransferQueue (its size() walks the queue) and the program's own queues (unknown cost and
 * effects).
 */
@SuppressWarnings({"rawtypes", "unchecked"})
public final class ChannelHooks {
    private ChannelHooks() {
    }

    // the operations: index into NAMES, SEND and MODE
    private static final int PUT = 0;
    private static final int OFFER = 1;
    private static final int OFFER_TIMED = 2;
    private static final int ADD = 3;
    private static final int TAKE = 4;
    private static final int POLL = 5;
    private static final int POLL_TIMED = 6;
    private static final int REMOVE = 7;
    private static final int PUT_FIRST = 8;
    private static final int PUT_LAST = 9;
    private static final int OFFER_FIRST = 10;
    private static final int OFFER_LAST = 11;
    private static final int OFFER_FIRST_TIMED = 12;
    private static final int OFFER_LAST_TIMED = 13;
    private static final int ADD_FIRST = 14;
    private static final int ADD_LAST = 15;
    private static final int TAKE_FIRST = 16;
    private static final int TAKE_LAST = 17;
    private static final int POLL_FIRST = 18;
    private static final int POLL_LAST = 19;
    private static final int POLL_FIRST_TIMED = 20;
    private static final int POLL_LAST_TIMED = 21;
    private static final int REMOVE_FIRST = 22;
    private static final int REMOVE_LAST = 23;
    private static final int TRANSFER = 24;
    private static final int TRY_TRANSFER = 25;
    private static final int TRY_TRANSFER_TIMED = 26;

    private static final SyncEvents.Names NAMES = new SyncEvents.Names("put", "offer", "offer", "add", "take",
            "poll", "poll", "remove", "putFirst", "putLast", "offerFirst", "offerLast", "offerFirst", "offerLast",
            "addFirst", "addLast", "takeFirst", "takeLast", "pollFirst", "pollLast", "pollFirst", "pollLast",
            "removeFirst", "removeLast", "transfer", "tryTransfer", "tryTransfer");

    private static final boolean[] SEND = {true, true, true, true, false, false, false, false, true, true, true,
            true, true, true, true, true, false, false, false, false, false, false, false, false, true, true, true};

    private static final int B = 0;
    private static final int T = EventFlags.TRY;
    private static final int W = EventFlags.TIMED;
    /** B: may block indefinitely; T (TRY): never blocks; W (TIMED): blocks at most the timeout. */
    private static final int[] MODE = {B, T, W, T, B, T, W, T, B, B, T, T, W, W, T, T, B, B, T, T, W, W, T, T, B, T, W};

    // ---- BlockingQueue

    public static void put(BlockingQueue q, Object e, int site) throws InterruptedException {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null) {
            q.put(e);
            return;
        }
        record(r, q, PUT, e, 0, null, site);
    }

    public static boolean offer(BlockingQueue q, Object e, int site) {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null) {
            return q.offer(e);
        }
        return record(r, q, OFFER, e, 0, null, site) == Boolean.TRUE;
    }

    public static boolean offer(BlockingQueue q, Object e, long time, TimeUnit unit, int site)
            throws InterruptedException {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null || unit == null) {
            return q.offer(e, time, unit);
        }
        return record(r, q, OFFER_TIMED, e, time, unit, site) == Boolean.TRUE;
    }

    public static boolean add(BlockingQueue q, Object e, int site) {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null) {
            return q.add(e);
        }
        return record(r, q, ADD, e, 0, null, site) == Boolean.TRUE;
    }

    public static Object take(BlockingQueue q, int site) throws InterruptedException {
        ThreadRecorder r = ThreadRecorder.current();
        return r == null ? q.take() : record(r, q, TAKE, null, 0, null, site);
    }

    public static Object poll(BlockingQueue q, int site) {
        ThreadRecorder r = ThreadRecorder.current();
        return r == null ? q.poll() : record(r, q, POLL, null, 0, null, site);
    }

    public static Object poll(BlockingQueue q, long time, TimeUnit unit, int site) throws InterruptedException {
        ThreadRecorder r = ThreadRecorder.current();
        return r == null || unit == null ? q.poll(time, unit) : record(r, q, POLL_TIMED, null, time, unit, site);
    }

    public static Object remove(BlockingQueue q, int site) {
        ThreadRecorder r = ThreadRecorder.current();
        return r == null ? q.remove() : record(r, q, REMOVE, null, 0, null, site);
    }

    // ---- BlockingDeque

    public static void putFirst(BlockingDeque q, Object e, int site) throws InterruptedException {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null) {
            q.putFirst(e);
            return;
        }
        record(r, q, PUT_FIRST, e, 0, null, site);
    }

    public static void putLast(BlockingDeque q, Object e, int site) throws InterruptedException {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null) {
            q.putLast(e);
            return;
        }
        record(r, q, PUT_LAST, e, 0, null, site);
    }

    public static boolean offerFirst(BlockingDeque q, Object e, int site) {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null) {
            return q.offerFirst(e);
        }
        return record(r, q, OFFER_FIRST, e, 0, null, site) == Boolean.TRUE;
    }

    public static boolean offerLast(BlockingDeque q, Object e, int site) {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null) {
            return q.offerLast(e);
        }
        return record(r, q, OFFER_LAST, e, 0, null, site) == Boolean.TRUE;
    }

    public static boolean offerFirst(BlockingDeque q, Object e, long time, TimeUnit unit, int site)
            throws InterruptedException {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null || unit == null) {
            return q.offerFirst(e, time, unit);
        }
        return record(r, q, OFFER_FIRST_TIMED, e, time, unit, site) == Boolean.TRUE;
    }

    public static boolean offerLast(BlockingDeque q, Object e, long time, TimeUnit unit, int site)
            throws InterruptedException {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null || unit == null) {
            return q.offerLast(e, time, unit);
        }
        return record(r, q, OFFER_LAST_TIMED, e, time, unit, site) == Boolean.TRUE;
    }

    public static void addFirst(BlockingDeque q, Object e, int site) {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null) {
            q.addFirst(e);
            return;
        }
        record(r, q, ADD_FIRST, e, 0, null, site);
    }

    public static void addLast(BlockingDeque q, Object e, int site) {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null) {
            q.addLast(e);
            return;
        }
        record(r, q, ADD_LAST, e, 0, null, site);
    }

    public static Object takeFirst(BlockingDeque q, int site) throws InterruptedException {
        ThreadRecorder r = ThreadRecorder.current();
        return r == null ? q.takeFirst() : record(r, q, TAKE_FIRST, null, 0, null, site);
    }

    public static Object takeLast(BlockingDeque q, int site) throws InterruptedException {
        ThreadRecorder r = ThreadRecorder.current();
        return r == null ? q.takeLast() : record(r, q, TAKE_LAST, null, 0, null, site);
    }

    public static Object pollFirst(BlockingDeque q, int site) {
        ThreadRecorder r = ThreadRecorder.current();
        return r == null ? q.pollFirst() : record(r, q, POLL_FIRST, null, 0, null, site);
    }

    public static Object pollLast(BlockingDeque q, int site) {
        ThreadRecorder r = ThreadRecorder.current();
        return r == null ? q.pollLast() : record(r, q, POLL_LAST, null, 0, null, site);
    }

    public static Object pollFirst(BlockingDeque q, long time, TimeUnit unit, int site)
            throws InterruptedException {
        ThreadRecorder r = ThreadRecorder.current();
        return r == null || unit == null ? q.pollFirst(time, unit)
                : record(r, q, POLL_FIRST_TIMED, null, time, unit, site);
    }

    public static Object pollLast(BlockingDeque q, long time, TimeUnit unit, int site)
            throws InterruptedException {
        ThreadRecorder r = ThreadRecorder.current();
        return r == null || unit == null ? q.pollLast(time, unit)
                : record(r, q, POLL_LAST_TIMED, null, time, unit, site);
    }

    public static Object removeFirst(BlockingDeque q, int site) {
        ThreadRecorder r = ThreadRecorder.current();
        return r == null ? q.removeFirst() : record(r, q, REMOVE_FIRST, null, 0, null, site);
    }

    public static Object removeLast(BlockingDeque q, int site) {
        ThreadRecorder r = ThreadRecorder.current();
        return r == null ? q.removeLast() : record(r, q, REMOVE_LAST, null, 0, null, site);
    }

    // ---- TransferQueue

    public static void transfer(TransferQueue q, Object e, int site) throws InterruptedException {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null) {
            q.transfer(e);
            return;
        }
        record(r, q, TRANSFER, e, 0, null, site);
    }

    public static boolean tryTransfer(TransferQueue q, Object e, int site) {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null) {
            return q.tryTransfer(e);
        }
        return record(r, q, TRY_TRANSFER, e, 0, null, site) == Boolean.TRUE;
    }

    public static boolean tryTransfer(TransferQueue q, Object e, long time, TimeUnit unit, int site)
            throws InterruptedException {
        ThreadRecorder r = ThreadRecorder.current();
        if (r == null || unit == null) {
            return q.tryTransfer(e, time, unit);
        }
        return record(r, q, TRY_TRANSFER_TIMED, e, time, unit, site) == Boolean.TRUE;
    }

    // ---- shared

    /**
     * BEGIN, the real call (busy), END; a call that never blocks (TRY) is recorded once it returned, as one paired
     * record ({@link SyncEvents#pair}). Returns what the call returned: the item received (null: none), or for a
     * send Boolean.TRUE / Boolean.FALSE (TRUE for the void forms).
     */
    private static Object record(ThreadRecorder r, BlockingQueue q, int op, Object item, long time, TimeUnit unit,
                                 int site) {
        ObjEntry o = r.entry(q);
        boolean send = SEND[op];
        int flags = MODE[op];
        int text = NAMES.id(r, op);
        long begun = flags == T ? Clock.coarse() : SyncEvents.begin(r, send ? EventKind.CHANNEL_SEND_BEGIN
                : EventKind.CHANNEL_RECV_BEGIN, o, flags, text, site, flags == W ? unit.toNanos(time) : 0);
        int endFlags = flags;
        long size = -1;
        r.busy++;
        try {
            Object result = call(q, op, item, time, unit);
            if (send ? result == Boolean.FALSE : result == null) {
                endFlags |= flags == W ? EventFlags.TIMED_OUT : EventFlags.FAILED;
            }
            return result;
        } catch (Throwable t) {
            endFlags |= SyncEvents.failure(t);
            throw SyncEvents.rethrow(t);
        } finally {
            size = QueueSizes.after(q);
            r.busy--;
            EventKind end = send ? EventKind.CHANNEL_SEND_END : EventKind.CHANNEL_RECV_END;
            if (flags == T) {
                SyncEvents.pair(r, end, o, endFlags, text, site, begun, size);
            } else {
                SyncEvents.end(r, end, o, endFlags, text, site, begun, size);
            }
        }
    }

    private static Object call(BlockingQueue q, int op, Object e, long time, TimeUnit unit) throws Exception {
        switch (op) {
            case PUT: q.put(e); return Boolean.TRUE;
            case OFFER: return q.offer(e) ? Boolean.TRUE : Boolean.FALSE;
            case OFFER_TIMED: return q.offer(e, time, unit) ? Boolean.TRUE : Boolean.FALSE;
            case ADD: return q.add(e) ? Boolean.TRUE : Boolean.FALSE;
            case TAKE: return q.take();
            case POLL: return q.poll();
            case POLL_TIMED: return q.poll(time, unit);
            case REMOVE: return q.remove();
            case PUT_FIRST: ((BlockingDeque) q).putFirst(e); return Boolean.TRUE;
            case PUT_LAST: ((BlockingDeque) q).putLast(e); return Boolean.TRUE;
            case OFFER_FIRST: return ((BlockingDeque) q).offerFirst(e) ? Boolean.TRUE : Boolean.FALSE;
            case OFFER_LAST: return ((BlockingDeque) q).offerLast(e) ? Boolean.TRUE : Boolean.FALSE;
            case OFFER_FIRST_TIMED: return ((BlockingDeque) q).offerFirst(e, time, unit) ? Boolean.TRUE : Boolean.FALSE;
            case OFFER_LAST_TIMED: return ((BlockingDeque) q).offerLast(e, time, unit) ? Boolean.TRUE : Boolean.FALSE;
            case ADD_FIRST: ((BlockingDeque) q).addFirst(e); return Boolean.TRUE;
            case ADD_LAST: ((BlockingDeque) q).addLast(e); return Boolean.TRUE;
            case TAKE_FIRST: return ((BlockingDeque) q).takeFirst();
            case TAKE_LAST: return ((BlockingDeque) q).takeLast();
            case POLL_FIRST: return ((BlockingDeque) q).pollFirst();
            case POLL_LAST: return ((BlockingDeque) q).pollLast();
            case POLL_FIRST_TIMED: return ((BlockingDeque) q).pollFirst(time, unit);
            case POLL_LAST_TIMED: return ((BlockingDeque) q).pollLast(time, unit);
            case REMOVE_FIRST: return ((BlockingDeque) q).removeFirst();
            case REMOVE_LAST: return ((BlockingDeque) q).removeLast();
            case TRANSFER: ((TransferQueue) q).transfer(e); return Boolean.TRUE;
            case TRY_TRANSFER: return ((TransferQueue) q).tryTransfer(e) ? Boolean.TRUE : Boolean.FALSE;
            case TRY_TRANSFER_TIMED:
                return ((TransferQueue) q).tryTransfer(e, time, unit) ? Boolean.TRUE : Boolean.FALSE;
            default:
                throw new IllegalArgumentException("channel operation " + op);
        }
    }
}
