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
    /** Test aid: the writer waits this long before each drain, like a slow disk. */
    public long drainDelayMillis;
    /** Comma-free list of package prefixes (separated by ';') whose classes are never instrumented. */
    public String exclude = "";
    public String command = "";
    /** Stop recording and remove the instrumentation (sent by {@code tangle detach} through a second attach). */
    public boolean detach;
    public String raw = "";

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
                            + " command, drainDelayMillis, dumpClasses, full, detach)");
            }
        }
        return c;
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
