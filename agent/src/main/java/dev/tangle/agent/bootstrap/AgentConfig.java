package dev.tangle.agent.bootstrap;

/**
 * The agent's options, parsed from {@code -javaagent:tangle-agent.jar=key=value,key=value}.
 * Unknown keys and bad values are errors reported once on stderr; the agent then records with the defaults.
 */
public final class AgentConfig {
    /** Stack capture: at the first request of each thread at each site (default), at every request, or never. */
    public static final int STACKS_FIRST = 0;
    public static final int STACKS_ALL = 1;
    public static final int STACKS_NONE = 2;

    public String out = "tangle.trace";
    public int stackDepth = 16;
    public int stackMode = STACKS_FIRST;
    /** Events per thread buffer (a power of two). */
    public int bufferEvents = 16384;
    /** Events per virtual thread buffer (a power of two): virtual threads are many and short. */
    public int virtualBufferEvents = 512;
    /** How often the coarse clock ticks, in microseconds. */
    public long tickMicros = 1000;
    /** How often the writer drains thread buffers, in milliseconds. */
    public long flushMillis = 50;
    /** A folder where every rewritten class is written, for a look with javap; empty for none. */
    public String dumpClasses = "";
    /**
     * When a thread's buffer is full: yield to the writer a bounded number of times before dropping (true,
     * complete traces) or drop at once (false, least slowdown). Either way drops are counted.
     */
    public boolean waitWhenFull = true;
    /**
     * Leaf holds of a {@code ReentrantLock} (uncontended, nothing recorded inside, shorter than a tick, context
     * already recorded) are counted in LEAF_HOLDS events (true, the default: {@code leafHolds=collapse}) or
     * recorded in full ({@code leafHolds=record}). Never with {@code stacks=all}.
     */
    public boolean collapseLeafHolds = true;
    /** Test aid: the writer waits this long before each drain, like a slow disk. */
    public long drainDelayMillis;
    /** Comma-free list of package prefixes (separated by ';') whose classes are never instrumented. */
    public String exclude = "";
    public String command = "";
    /** Stop recording and remove the instrumentation (sent by {@code tangle detach} through a second attach). */
    public boolean detach;
    public String raw = "";
    /** True when {@code out} was given: with {@code live} and no {@code out}, the file gets a name of its own. */
    public boolean outGiven;
    /** Live streaming: the collector's host ("" for none) and port. */
    public String liveHost = "";
    public int livePort;
    /** The secret the collector expects; sent first, before any trace data. */
    public String token = "";
    /** A collector on another machine must be asked for explicitly: the stream is not encrypted. */
    public boolean liveRemote;
    /** How many bytes of chunks may wait for the collector before event chunks are skipped. */
    public int liveQueueBytes = 8 << 20;
    /** How long connecting and the handshake may take, in milliseconds. */
    public int liveConnectMillis = 2000;

    /** Parses the agent argument string; throws IllegalArgumentException with a one-line message. */
    public static AgentConfig parse(String args) {
        AgentConfig c = new AgentConfig();
        c.raw = args == null ? "" : args;
        if (args == null || args.isEmpty()) {
            return c;
        }
        String[] parts = args.split(",");
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].trim();
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String key = eq < 0 ? part : part.substring(0, eq);
            String value = eq < 0 ? "true" : part.substring(eq + 1);
            switch (key) {
                case "out":
                    c.out = value;
                    c.outGiven = true;
                    break;
                case "live":
                    c.parseLive(value);
                    break;
                case "token":
                    c.token = value;
                    break;
                case "liveRemote":
                    if (!value.equals("true") && !value.equals("false")) {
                        throw new IllegalArgumentException("option liveRemote must be true or false, not '"
                                + value + "'");
                    }
                    c.liveRemote = value.equals("true");
                    break;
                case "liveQueueBytes":
                    c.liveQueueBytes = intIn(key, value, 0, 1 << 30);
                    break;
                case "liveConnectMillis":
                    c.liveConnectMillis = intIn(key, value, 1, 60_000);
                    break;
                case "stackDepth":
                case "stack-depth":
                    c.stackDepth = intIn(key, value, 1, 1024);
                    break;
                case "stacks":
                    if (value.equals("first")) {
                        c.stackMode = STACKS_FIRST;
                    } else if (value.equals("all")) {
                        c.stackMode = STACKS_ALL;
                    } else if (value.equals("none")) {
                        c.stackMode = STACKS_NONE;
                    } else {
                        throw new IllegalArgumentException("option stacks must be first, all or none, not '"
                                + value + "'");
                    }
                    break;
                case "buffer":
                    c.bufferEvents = powerOfTwo(intIn(key, value, 64, 1 << 22));
                    break;
                case "tickMicros":
                    c.tickMicros = intIn(key, value, 10, 1_000_000);
                    break;
                case "flushMillis":
                    c.flushMillis = intIn(key, value, 1, 60_000);
                    break;
                case "drainDelayMillis":
                    c.drainDelayMillis = intIn(key, value, 0, 60_000);
                    break;
                case "full":
                    if (!value.equals("wait") && !value.equals("drop")) {
                        throw new IllegalArgumentException("option full must be wait or drop, not '" + value + "'");
                    }
                    c.waitWhenFull = value.equals("wait");
                    break;
                case "leafHolds":
                    if (!value.equals("collapse") && !value.equals("record")) {
                        throw new IllegalArgumentException("option leafHolds must be collapse or record, not '"
                                + value + "'");
                    }
                    c.collapseLeafHolds = value.equals("collapse");
                    break;
                case "dumpClasses":
                    c.dumpClasses = value;
                    break;
                case "exclude":
                    c.exclude = value;
                    break;
                case "command":
                    c.command = value;
                    break;
                case "detach":
                    c.detach = Boolean.parseBoolean(value);
                    break;
                default:
                    throw new IllegalArgumentException("unknown agent option '" + key
                            + "' (known: out, stackDepth, stacks, buffer, tickMicros, flushMillis, exclude,"
                            + " command, drainDelayMillis, dumpClasses, full, leafHolds, detach, live, token, liveRemote,"
                            + " liveQueueBytes, liveConnectMillis)");
            }
        }
        if (!c.liveHost.isEmpty()) {
            if (c.token.isEmpty()) {
                throw new IllegalArgumentException("option live needs token=... (the collector's secret)");
            }
            if (!c.liveRemote && !isLoopback(c.liveHost)) {
                throw new IllegalArgumentException("live host " + c.liveHost + " is not this machine's loopback"
                        + " (the stream is not encrypted); add liveRemote=true to send it there anyway");
            }
        } else if (!c.token.isEmpty() || c.liveRemote) {
            throw new IllegalArgumentException("options token and liveRemote need live=HOST:PORT");
        }
        return c;
    }

    /** True when the agent streams events to a collector. */
    public boolean isLive() {
        return !liveHost.isEmpty();
    }

    /** The options as given, with the token's value hidden (they go into the trace header). */
    public String redactedRaw() {
        String[] parts = raw.split(",");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(parts[i].trim().startsWith("token=") ? "token=***" : parts[i]);
        }
        return b.toString();
    }

    /** {@code HOST:PORT}, {@code [IPV6]:PORT}. */
    private void parseLive(String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException("option live must be HOST:PORT, not '" + value + "'");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("option live must be HOST:PORT, not '" + value + "'");
        }
        livePort = intIn("live (port)", value.substring(colon + 1), 1, 65535);
        liveHost = host;
    }

    /**
     * {@code localhost} or a loopback address literal. Other names are not resolved here (a DNS lookup would
     * delay the program's start) and count as remote.
     */
    static boolean isLoopback(String host) {
        if (host.equals("localhost")) {
            return true;
        }
        boolean literal = host.indexOf(':') >= 0;
        if (!literal) {
            literal = true;
            for (int i = 0; i < host.length(); i++) {
                char ch = host.charAt(i);
                if (ch != '.' && (ch < '0' || ch > '9')) {
                    literal = false;
                }
            }
        }
        if (!literal) {
            return false;
        }
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress(); // a literal: no lookup
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static int intIn(String key, String value, int min, int max) {
        int v;
        try {
            v = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option " + key + " needs a number, not '" + value + "'");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException("option " + key + " must be between " + min + " and " + max);
        }
        return v;
    }

    private static int powerOfTwo(int v) {
        return Integer.highestOneBit(v - 1) << 1;
    }
}
