package dev.tangle.agent.bootstrap;

import dev.tangle.trace.TraceFormat;
import dev.tangle.trace.TraceWriter;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * Streams the trace to a collector over TCP, from an agent thread of its own, so that a slow or gone collector
 * never blocks the program or the file writer. The file writer {@link #offer offers} every chunk it writes (the
 * same bytes as the file, magic first); they wait in a queue of at most {@code liveQueueBytes}. When the queue is
 * full, event chunks are skipped (never definition chunks, which later chunks depend on) and a GAP chunk tells the
 * collector how many events it missed; the file keeps everything. If connecting fails or the connection dies, the
 * stream stops and recording to the file goes on; either way the user is told once on stderr.
 *
 * <p>The handshake comes first: {@code TANGLE-LIVE 1 <token>\n}, answered by {@code OK\n} (or anything else and a
 * closed connection), so a collector rejects a wrong token before it reads any trace data.
 */
final class LiveSender {
    static final String HANDSHAKE = "TANGLE-LIVE 1 ";
    /** How long the end of the stream may take to reach a collector when recording stops. */
    private static final long CLOSE_MILLIS = 2000;

    private final AgentConfig config;
    private final String where;
    private final Object lock = new Object();
    private final ArrayDeque<byte[]> queue = new ArrayDeque<byte[]>();
    private final ByteArrayOutputStream specialBytes = new ByteArrayOutputStream(64);
    private final TraceWriter special = new TraceWriter(specialBytes);
    // guarded by lock
    private long queuedBytes;
    private long pendingGapEvents;
    private long pendingGapChunks;
    /** Paired records in the event chunk the writer thread writes next ({@link #nextEventsPaired}); its own. */
    private long pairedInNextEvents;
    private boolean dead;
    private boolean closing;
    private boolean finished;
    private Socket socket;

    private LiveSender(AgentConfig config) {
        this.config = config;
        this.where = config.liveHost + ":" + config.livePort;
    }

    static LiveSender create(AgentConfig config) {
        return new LiveSender(config);
    }

    void start() {
        final LiveSender self = this;
        new AgentThread(new Runnable() {
            @Override
            public void run() {
                self.run();
            }
        }, "tangle-live").start();
    }

    /**
     * Queues a copy of one chunk (or of the magic) the file writer just wrote. Never blocks: an event chunk that
     * does not fit is skipped and counted.
     */
    void offer(byte[] b, int off, int len) {
        boolean events = len > TraceFormat.CHUNK_HEAD_BYTES && b[off] == TraceFormat.CHUNK_EVENTS;
        long paired = 0;
        if (events) {
            paired = pairedInNextEvents;
            pairedInNextEvents = 0;
        }
        boolean behind = false;
        synchronized (lock) {
            if (dead) {
                return;
            }
            if (events && queuedBytes + len > config.liveQueueBytes) {
                pendingGapChunks++;
                pendingGapEvents += eventCount(b, off, len) + paired; // a paired record is two events
                behind = true;
            } else {
                enqueuePendingGap();
                byte[] copy = new byte[len];
                System.arraycopy(b, off, copy, 0, len);
                enqueue(copy);
            }
        }
        if (behind) {
            Recorder.warnOnce("live collector at " + where + " falls behind: the live stream skips events (the"
                    + " trace file " + fileName() + " has every event)");
        }
    }

    /**
     * The writer thread, before it writes an event chunk: how many of its records are paired records (each read
     * as two events), for the GAP count if the chunk is left out. Read by the next {@link #offer} of an event
     * chunk, on the same thread.
     */
    void nextEventsPaired(long paired) {
        pairedInNextEvents = paired;
    }

    /** Marks the end of one drain (begun at {@code time}): the collector may analyse what came before. */
    void drained(long time) {
        synchronized (lock) {
            if (dead) {
                return;
            }
            enqueuePendingGap();
            enqueue(specialChunkFlush(time));
        }
    }

    /** After the END chunk was offered: lets the sender finish for a short while, then closes the connection. */
    void close() {
        long deadline = System.currentTimeMillis() + CLOSE_MILLIS;
        boolean late = false;
        synchronized (lock) {
            closing = true;
            lock.notifyAll();
            long left;
            while (!finished && !dead && (left = deadline - System.currentTimeMillis()) > 0) {
                try {
                    lock.wait(left);
                } catch (InterruptedException e) {
                    break;
                }
            }
            late = !finished && !dead;
            dead = true;
            queue.clear();
            queuedBytes = 0;
        }
        if (late) {
            Recorder.warnOnce("live collector at " + where + " did not take the end of the stream within "
                    + CLOSE_MILLIS + " ms; the trace file " + fileName() + " is complete");
        }
        closeSocket();
    }

    private void run() {
        try {
            connect();
        } catch (IOException | RuntimeException e) {
            die("cannot stream to live collector at " + where + ": " + e.getMessage());
            return;
        }
        try {
            OutputStream out = socket.getOutputStream();
            while (true) {
                byte[] next;
                boolean more;
                synchronized (lock) {
                    while (queue.isEmpty() && !closing && !dead) {
                        lock.wait();
                    }
                    if (dead || queue.isEmpty()) {
                        break;
                    }
                    next = queue.poll();
                    queuedBytes -= next.length;
                    more = !queue.isEmpty();
                }
                out.write(next);
                if (!more) {
                    out.flush();
                }
            }
            out.flush();
            synchronized (lock) {
                finished = true;
                lock.notifyAll();
            }
        } catch (IOException | RuntimeException e) {
            die("lost the live collector at " + where + ": " + e.getMessage());
        } catch (InterruptedException e) {
            die("live stream to " + where + " interrupted");
        }
        closeSocket();
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        synchronized (lock) {
            socket = s;
        }
        s.connect(new InetSocketAddress(config.liveHost, config.livePort), config.liveConnectMillis);
        s.setSoTimeout(config.liveConnectMillis);
        s.setTcpNoDelay(true);
        OutputStream out = s.getOutputStream();
        out.write((HANDSHAKE + config.token + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        InputStream in = s.getInputStream();
        StringBuilder reply = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n' && reply.length() < 200) {
            reply.append((char) c);
        }
        if (!reply.toString().equals("OK")) {
            throw new IOException(reply.length() == 0 ? "the collector closed the connection (wrong token?)"
                    : "the collector refused: " + reply);
        }
        s.setSoTimeout(0);
    }

    /** The stream ends for good; the file goes on. */
    private void die(String message) {
        synchronized (lock) {
            if (dead) {
                return; // closed on purpose
            }
            dead = true;
            queue.clear();
            queuedBytes = 0;
            lock.notifyAll();
        }
        Recorder.warnOnce(message + "; recording goes on to " + fileName());
        closeSocket();
    }

    private void closeSocket() {
        Socket s;
        synchronized (lock) {
            s = socket;
        }
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    /** Holds lock. */
    private void enqueue(byte[] bytes) {
        queue.add(bytes);
        queuedBytes += bytes.length;
        lock.notifyAll();
    }

    /** Holds lock. */
    private void enqueuePendingGap() {
        if (pendingGapChunks == 0) {
            return;
        }
        specialBytes.reset();
        try {
            special.writeGap(pendingGapEvents, pendingGapChunks);
        } catch (IOException e) {
            throw new IllegalStateException(e); // a byte array does not fail
        }
        enqueue(specialBytes.toByteArray());
        pendingGapEvents = 0;
        pendingGapChunks = 0;
    }

    /** Holds lock. */
    private byte[] specialChunkFlush(long time) {
        specialBytes.reset();
        try {
            special.writeFlush(time);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return specialBytes.toByteArray();
    }

    /** The count of an EVENTS chunk: a u32 after the thread id and base time varints. */
    private static long eventCount(byte[] b, int off, int len) {
        int p = off + TraceFormat.CHUNK_HEAD_BYTES;
        int end = off + len;
        for (int varints = 0; varints < 2 && p < end; p++) {
            if ((b[p] & 0x80) == 0) {
                varints++;
            }
        }
        if (p + 4 > end) {
            return 0;
        }
        return ((b[p] & 0xFFL) << 24) | ((b[p + 1] & 0xFFL) << 16) | ((b[p + 2] & 0xFFL) << 8) | (b[p + 3] & 0xFFL);
    }

    private String fileName() {
        return new File(config.out).getAbsolutePath();
    }

    /** The file writer's output: each write is one chunk (or the magic), copied to the live stream. */
    static final class Tee extends OutputStream {
        private final OutputStream file;
        private final LiveSender live;

        Tee(OutputStream file, LiveSender live) {
            this.file = file;
            this.live = live;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            file.write(b, off, len);
            live.offer(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            file.flush();
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}
