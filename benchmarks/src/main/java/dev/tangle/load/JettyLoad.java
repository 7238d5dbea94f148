package dev.tangle.load;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A Jetty 12 HTTP server (default thread pool, one connector bound to the loopback address, port chosen by the
 * system) and {@code threads} HTTP/1.1 clients on their own keep-alive sockets. The handler answers
 * {@code GET /item/N} with a short text page and counts hits per item under a monitor, as a small real handler
 * would. One operation = one request and its complete response; a read that takes 5 s fails (and counts as an
 * error), so no client can hang.
 *
 * <p>{@code java -cp benchmarks.jar dev.tangle.load.JettyLoad [seconds [threads [warmupSeconds]]]} (10 s, 8, 3 s).
 */
public final class JettyLoad extends Workload {
    static final int ITEMS = 1024;
    private Server server;
    private int port;

    public static void main(String... args) throws Exception {
        new JettyLoad().run(args, 10, 8, 3);
    }

    @Override
    protected String name() {
        return "jetty";
    }

    /** Hits per item, under the monitor of this object. */
    private static final class Stats {
        private final long[] hits = new long[ITEMS];

        synchronized long hit(int item) {
            return ++hits[item];
        }
    }

    @Override
    protected void setUp(int threads) throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(InetAddress.getLoopbackAddress().getHostAddress());
        connector.setPort(0);
        server.addConnector(connector);
        Stats stats = new Stats();
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String path = request.getHttpURI().getPath();
                int item = 0;
                if (path.startsWith("/item/")) {
                    item = Integer.parseInt(path.substring(6)) % ITEMS;
                }
                long hits = stats.hit(item);
                byte[] body = ("item " + item + " seen " + hits + " times\n").getBytes(StandardCharsets.US_ASCII);
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, String.valueOf(body.length));
                response.write(true, ByteBuffer.wrap(body), callback);
                return true;
            }
        });
        server.start();
        port = connector.getLocalPort();
    }

    /** One client's keep-alive connection. */
    private static final class Client {
        Socket socket;
        InputStream in;
        OutputStream out;
        final byte[] buffer = new byte[4096];
    }

    @Override
    protected Object openClient(int index) throws IOException {
        Client c = new Client();
        connect(c);
        return c;
    }

    private void connect(Client c) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.setSoTimeout(5000);
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        c.socket = s;
        c.in = new BufferedInputStream(s.getInputStream(), 8192);
        c.out = s.getOutputStream();
    }

    @Override
    protected int operation(Object client, int index) throws IOException {
        Client c = (Client) client;
        if (c.socket == null) {
            connect(c);
        }
        int item = ThreadLocalRandom.current().nextInt(ITEMS);
        byte[] request = ("GET /item/" + item + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        try {
            c.out.write(request);
            c.out.flush();
            readResponse(c, item);
        } catch (IOException | RuntimeException e) {
            c.socket.close(); // the connection's state is unknown: the next operation opens a new one
            c.socket = null;
            throw e;
        }
        return 1;
    }

    /** Reads status line and headers, then exactly Content-Length bytes of body. */
    private static void readResponse(Client c, int item) throws IOException {
        String status = readLine(c);
        if (!status.startsWith("HTTP/1.1 200")) {
            throw new IOException("unexpected status: " + status);
        }
        int length = -1;
        for (String line = readLine(c); !line.isEmpty(); line = readLine(c)) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase("Content-Length")) {
                length = Integer.parseInt(line.substring(colon + 1).trim());
            }
        }
        if (length < 0) {
            throw new IOException("no Content-Length");
        }
        int read = 0;
        while (read < length) {
            int n = c.in.read(c.buffer, 0, Math.min(c.buffer.length, length - read));
            if (n < 0) {
                throw new IOException("connection closed in the body");
            }
            read += n;
        }
        String body = new String(c.buffer, 0, Math.min(length, c.buffer.length), StandardCharsets.US_ASCII);
        if (!body.startsWith("item " + item + " ")) {
            throw new IOException("wrong body for item " + item + ": " + body);
        }
    }

    private static String readLine(Client c) throws IOException {
        StringBuilder sb = new StringBuilder(64);
        for (;;) {
            int b = c.in.read();
            if (b < 0) {
                throw new IOException("connection closed in the headers");
            }
            if (b == '\n') {
                int n = sb.length();
                return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
            }
            if (sb.length() > 8192) {
                throw new IOException("header line too long");
            }
            sb.append((char) b);
        }
    }

    @Override
    protected void closeClient(Object client) throws IOException {
        Client c = (Client) client;
        if (c.socket != null) {
            c.socket.close();
        }
    }

    @Override
    protected void tearDown() throws Exception {
        server.stop();
    }
}
