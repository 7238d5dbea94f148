package dev.tangle.live;

import dev.tangle.trace.TraceFormat;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.Consumer;

/**
 * Receives one agent's live stream: listens on the loopback interface (an ephemeral port), checks the token the
 * agent sends first, then writes every chunk it receives to a trace file and keeps count of what arrived. A
 * connection with a wrong token is answered {@code NO}, closed and logged, before any trace data is read; the
 * collector goes on waiting for the right agent. It accepts one agent connection.
 *
 * <p>Nothing a client does can hang it: each handshake is read on a thread of its own with a deadline for the whole
 * line ({@value #HANDSHAKE_TIMEOUT_MILLIS} ms), so a silent or garbage client never delays the agent, and a
 * connected agent that sends nothing (not even the FLUSH heartbeat) for {@value #DEFAULT_SILENCE_MILLIS} ms is
 * dropped.
 *
 * <p>The stream is a trace file's bytes (magic, header, chunks, END) plus two chunk types of live streams only:
 * GAP (events the agent skipped because the collector fell behind) and FLUSH (the end of one drain of the agent's
 * writer). Everything up to a FLUSH chunk is a sound prefix to analyse: {@link Progress#cutOffset()}.
 */
public final class LiveCollector implements Closeable {
    /** The agent's first line: {@code TANGLE-LIVE 1 <token>}. */
    static final String HANDSHAKE = "TANGLE-LIVE 1 ";
    private static final int HANDSHAKE_MAX_BYTES = 256;
    /** The whole handshake line must arrive within this (not each byte: a client dripping bytes is dropped too). */
    static final int HANDSHAKE_TIMEOUT_MILLIS = 5000;
    /** Handshakes read at once; more connections meanwhile are closed unread. */
    private static final int MAX_HANDSHAKES = 8;
    /**
     * How long a connected agent may send nothing: its writer sends a FLUSH chunk at least every
     * {@code flushMillis} (at most 60 s), so a longer silence is a dead peer, or a client that sent half a chunk.
     */
    static final int DEFAULT_SILENCE_MILLIS = 120_000;

    /**
     * What has arrived so far.
     *
     * @param connected  an agent with the right token is connected (or was)
     * @param bytes      bytes written to the stream file
     * @param cutOffset  the file's length up to the last FLUSH or END chunk: a prefix made of whole drains
     * @param flushes    FLUSH chunks so far (one per drain of the agent's writer, even an empty one)
     * @param gapEvents  events the agent skipped (GAP chunks so far)
     * @param ended      the stream ended (END chunk, connection closed or lost, or the collector closed)
     * @param complete   the END chunk arrived
     */
    public record Progress(boolean connected, long bytes, long cutOffset, long flushes, long gapEvents,
                           boolean ended, boolean complete) {
    }

    private final ServerSocket server;
    private final String token;
    private final Path file;
    private final Consumer<String> log;
    private final Thread thread;
    private final int silenceMillis;
    private volatile Socket connection;
    private volatile boolean closed;
    // guarded by this: the connection whose handshake succeeded first, and handshakes being read
    private Socket claimed;
    private int handshakes;
    // guarded by this
    private Progress progress = new Progress(false, 0, 0, 0, 0, false, false);

    private LiveCollector(ServerSocket server, String token, Path file, Consumer<String> log, int silenceMillis) {
        this.server = server;
        this.silenceMillis = silenceMillis;
        this.token = token;
        this.file = file;
        this.log = log;
        this.thread = new Thread(this::run, "tangle-live-collector");
        this.thread.setDaemon(true);
    }

    /**
     * Starts listening on an ephemeral loopback port with a random token; the stream goes to {@code file}.
     * {@code log} gets one line per event worth telling (a refused connection, a lost stream).
     */
    public static LiveCollector start(Path file, Consumer<String> log) throws IOException {
        return start(file, log, DEFAULT_SILENCE_MILLIS);
    }

    /** As {@link #start(Path, Consumer)}, with the longest silence of a connected agent before it is dropped. */
    static LiveCollector start(Path file, Consumer<String> log, int silenceMillis) throws IOException {
        ServerSocket server = new ServerSocket();
        try {
            // loopback only; a backlog so that the agent still gets in while other connections are being refused
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), MAX_HANDSHAKES);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        LiveCollector c = new LiveCollector(server, HexFormat.of().formatHex(secret), file, log, silenceMillis);
        c.thread.start();
        return c;
    }

    /** The agent options that connect an agent to this collector: {@code live=127.0.0.1:PORT,token=...}. */
    public String agentOptions() {
        return "live=" + server.getInetAddress().getHostAddress() + ":" + server.getLocalPort() + ",token=" + token;
    }

    public int port() {
        return server.getLocalPort();
    }

    public String token() {
        return token;
    }

    public Path file() {
        return file;
    }

    public synchronized Progress progress() {
        return progress;
    }

    /** Waits until the progress differs from {@code seen} or {@code millis} pass; returns the progress then. */
    public synchronized Progress awaitChange(Progress seen, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        long left;
        while (progress.equals(seen) && (left = deadline - System.nanoTime()) > 0) {
            wait(Math.max(1, left / 1_000_000L));
        }
        return progress;
    }

    /** Waits until the stream has ended or {@code millis} pass; true if it ended. */
    public synchronized boolean awaitEnd(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        long left;
        while (!progress.ended() && (left = deadline - System.nanoTime()) > 0) {
            wait(Math.max(1, left / 1_000_000L));
        }
        return progress.ended();
    }

    /** Stops listening and drops the connection (the agent then goes on recording to its file only). */
    @Override
    public void close() throws IOException {
        synchronized (this) {
            closed = true;
        }
        server.close();
        Socket c = connection;
        if (c != null) {
            c.close();
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        update(p -> new Progress(p.connected(), p.bytes(), p.cutOffset(), p.flushes(), p.gapEvents(), true,
                p.complete()));
    }

    private void run() {
        try {
            Socket agent = acceptAgent();
            if (agent != null) {
                try (agent) {
                    server.close(); // one agent: nobody else may connect
                    receive(agent);
                }
            }
        } catch (IOException e) {
            if (!closed) {
                log.accept("live stream lost: " + e.getMessage());
            }
        } finally {
            update(p -> new Progress(p.connected(), p.bytes(), p.cutOffset(), p.flushes(), p.gapEvents(), true,
                    p.complete()));
        }
    }

    /**
     * Accepts connections until one sends the right token; null when the collector was closed first. Each
     * connection's handshake is read on a thread of its own with a deadline for the whole line, so a client that
     * sends garbage, a wrong token or nothing at all never keeps the agent from connecting.
     */
    private Socket acceptAgent() throws IOException {
        while (true) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                synchronized (this) {
                    if (claimed != null || closed) {
                        return closed ? null : claimed; // a handshake succeeded and closed the server socket
                    }
                }
                throw e;
            }
            synchronized (this) {
                if (handshakes >= MAX_HANDSHAKES) {
                    log.accept("live collector dropped a connection from " + s.getRemoteSocketAddress()
                            + ": too many connections at once");
                    s.close();
                    continue;
                }
                handshakes++;
            }
            Thread t = new Thread(() -> handshake(s), "tangle-live-handshake");
            t.setDaemon(true);
            t.start();
        }
    }

    /** Reads one connection's handshake; the first with the right token becomes the agent's connection. */
    private void handshake(Socket s) {
        String peer = String.valueOf(s.getRemoteSocketAddress());
        boolean keep = false;
        try {
            String line = readLine(s, System.nanoTime() + HANDSHAKE_TIMEOUT_MILLIS * 1_000_000L);
            if (line != null && line.startsWith(HANDSHAKE)
                    && MessageDigest.isEqual(line.substring(HANDSHAKE.length()).getBytes(StandardCharsets.UTF_8),
                    token.getBytes(StandardCharsets.UTF_8))) {
                synchronized (this) {
                    if (claimed == null && !closed) {
                        s.getOutputStream().write("OK\n".getBytes(StandardCharsets.US_ASCII));
                        s.getOutputStream().flush();
                        s.setSoTimeout(silenceMillis);
                        claimed = s;
                        connection = s;
                        keep = true;
                        server.close(); // one agent: nobody else may connect; wakes the accepting thread
                        return;
                    }
                }
                log.accept("live collector refused a connection from " + peer + ": an agent is connected already");
                s.getOutputStream().write("NO busy\n".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            log.accept("live collector refused a connection from " + peer + ": "
                    + (line == null ? "no handshake" : line.startsWith(HANDSHAKE) ? "wrong token"
                    : "not a Tangle agent"));
            s.getOutputStream().write("NO wrong token\n".getBytes(StandardCharsets.US_ASCII));
        } catch (SocketTimeoutException e) {
            log.accept("live collector refused a connection from " + peer + ": no handshake in time");
        } catch (IOException e) {
            log.accept("live collector dropped a connection from " + peer + ": " + e.getMessage());
        } finally {
            synchronized (this) {
                handshakes--;
            }
            if (!keep) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing a connection we refused
                }
            }
        }
    }

    /**
     * One line of at most {@link #HANDSHAKE_MAX_BYTES} bytes, without the newline, before {@code deadline}
     * ({@link System#nanoTime()}); null when it is not one; {@link SocketTimeoutException} when it is late.
     */
    private static String readLine(Socket s, long deadline) throws IOException {
        InputStream in = s.getInputStream();
        byte[] line = new byte[HANDSHAKE_MAX_BYTES];
        int n = 0;
        int c;
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                throw new SocketTimeoutException("handshake late");
            }
            s.setSoTimeout((int) left);
            if ((c = in.read()) < 0) {
                break;
            }
            if (c == '\n') {
                return new String(line, 0, n, StandardCharsets.UTF_8);
            }
            if (n == line.length) {
                return null;
            }
            line[n++] = (byte) c;
        }
        return null;
    }

    /** Copies chunks to the file, flushing it at each FLUSH and END so that readers see whole drains. */
    private void receive(Socket agent) throws IOException {
        update(p -> new Progress(true, p.bytes(), p.cutOffset(), p.flushes(), p.gapEvents(), false, false));
        DataInputStream in = new DataInputStream(new BufferedInputStream(agent.getInputStream(), 1 << 16));
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            byte[] magic = new byte[TraceFormat.MAGIC.length];
            in.readFully(magic);
            out.write(magic);
            long written = magic.length;
            byte[] buffer = new byte[1 << 16];
            while (true) {
                int type = in.read();
                if (type < 0) {
                    out.flush();
                    return; // the agent closed the stream (at the end, or after it gave up on us)
                }
                int length = in.readInt();
                if (length < 0 || length > TraceFormat.MAX_CHUNK_PAYLOAD) {
                    throw new IOException("corrupt chunk at byte " + written + " (length " + length + ")");
                }
                int total = TraceFormat.CHUNK_HEAD_BYTES + length + TraceFormat.CHUNK_TAIL_BYTES;
                if (buffer.length < total) {
                    buffer = new byte[Math.max(total, buffer.length * 2)];
                }
                buffer[0] = (byte) type;
                buffer[1] = (byte) (length >>> 24);
                buffer[2] = (byte) (length >>> 16);
                buffer[3] = (byte) (length >>> 8);
                buffer[4] = (byte) length;
                in.readFully(buffer, TraceFormat.CHUNK_HEAD_BYTES, length + TraceFormat.CHUNK_TAIL_BYTES);
                out.write(buffer, 0, total);
                written += total;
                long bytes = written;
                if (type == TraceFormat.CHUNK_FLUSH || type == TraceFormat.CHUNK_END) {
                    out.flush();
                    boolean end = type == TraceFormat.CHUNK_END;
                    update(p -> new Progress(true, bytes, bytes, p.flushes() + (end ? 0 : 1), p.gapEvents(), false,
                            end));
                } else if (type == TraceFormat.CHUNK_GAP) {
                    long skipped = firstVarint(buffer, TraceFormat.CHUNK_HEAD_BYTES);
                    update(p -> new Progress(true, bytes, p.cutOffset(), p.flushes(), p.gapEvents() + skipped,
                            false, p.complete()));
                } else {
                    update(p -> new Progress(true, bytes, p.cutOffset(), p.flushes(), p.gapEvents(), false,
                            p.complete()));
                }
            }
        } catch (EOFException e) {
            if (!closed) {
                log.accept("live stream ended inside a chunk (the agent's JVM was killed?)");
            }
        } catch (SocketTimeoutException e) {
            log.accept("live stream silent for " + silenceMillis + " ms (not even a FLUSH heartbeat): dropped");
        }
    }

    private static long firstVarint(byte[] b, int p) {
        long v = 0;
        for (int shift = 0; shift < 64 && p < b.length; shift += 7) {
            int x = b[p++];
            v |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                break;
            }
        }
        return v;
    }

    private synchronized void update(java.util.function.UnaryOperator<Progress> change) {
        progress = change.apply(progress);
        notifyAll();
    }
}
