package dev.tangle.agent;

import dev.tangle.trace.EventFlags;
import dev.tangle.trace.EventKind;
import dev.tangle.trace.TraceEvent;
import dev.tangle.trace.TraceReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One fixture program run in a child JVM under the real agent jar, and what it recorded.
 */
public final class AgentRun {
    public final List<TraceEvent> events;
    public final Map<Long, String> threadNames;
    public final String stdout;
    public final String stderr;
    public final int exitCode;
    public final TraceReader reader;
    public final Path trace;

    private AgentRun(List<TraceEvent> events, TraceReader reader, String stdout, String stderr, int exitCode,
                     Path trace) {
        this.events = events;
        this.reader = reader;
        this.threadNames = reader == null ? Map.of() : reader.threadNames();
        this.stdout = stdout;
        this.stderr = stderr;
        this.exitCode = exitCode;
        this.trace = trace;
    }

    public static Path agentJar() {
        return Path.of(System.getProperty("tangle.agentJar", "target/tangle-agent.jar"));
    }

    public static String testClasses() {
        return System.getProperty("tangle.testClasses", "target/test-classes");
    }

    /** Runs {@code mainClass} from the test classes with the agent; extra JVM flags before the class. */
    public static AgentRun run(Jdks jdk, Path dir, String agentOptions, String mainClass, List<String> jvmFlags,
                               String... args) throws IOException, InterruptedException {
        return run(jdk, dir, agentOptions, "", mainClass, jvmFlags, args);
    }

    public static AgentRun run(Jdks jdk, Path dir, String agentOptions, String classpath, String mainClass,
                               List<String> jvmFlags, String... args) throws IOException, InterruptedException {
        return run(jdk, dir, agentOptions, classpath, mainClass, jvmFlags, 60, args);
    }

    /** As above, with a limit other than 60 s for programs that start slowly (other agents instrumenting too). */
    public static AgentRun run(Jdks jdk, Path dir, String agentOptions, String classpath, String mainClass,
                               List<String> jvmFlags, int timeoutSeconds, String... args)
            throws IOException, InterruptedException {
        Path trace = agentOptions.contains("out=") ? Path.of(agentOptions.replaceAll(".*out=([^,]*).*", "$1"))
                : dir.resolve(mainClass.replace('.', '_') + "-" + jdk.feature() + ".trace");
        List<String> cmd = new ArrayList<>();
        cmd.add(jdk.java().toString());
        cmd.add("-javaagent:" + agentJar().toAbsolutePath() + "="
                + (agentOptions.contains("out=") ? agentOptions
                : "out=" + trace + (agentOptions.isEmpty() ? "" : "," + agentOptions)));
        cmd.add("-Xshare:auto");
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(classpath.isEmpty() ? testClasses() : testClasses() + java.io.File.pathSeparator + classpath);
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(mainClass + " did not end within " + timeoutSeconds + " s on " + jdk);
        }
        String stdout = Files.readString(out);
        String stderr = Files.readString(err);
        if (!Files.exists(trace)) {
            return new AgentRun(List.of(), null, stdout, stderr, p.exitValue(), trace);
        }
        TraceReader reader = TraceReader.open(trace);
        List<TraceEvent> events = new ArrayList<>();
        for (TraceEvent e; (e = reader.next()) != null; ) {
            events.add(e);
        }
        reader.close();
        events.sort(Comparator.comparingLong(TraceEvent::time)); // stable: keeps each thread's order
        return new AgentRun(events, reader, stdout, stderr, p.exitValue(), trace);
    }

    public static AgentRun run(Jdks jdk, Path dir, String mainClass, String... args)
            throws IOException, InterruptedException {
        return run(jdk, dir, "", mainClass, List.of(), args);
    }

    public long threadId(String name) {
        return threadNames.entrySet().stream().filter(e -> name.equals(e.getValue())).map(Map.Entry::getKey)
                .findFirst().orElseThrow(() -> new AssertionError("no thread named " + name + " in "
                        + threadNames.values()));
    }

    /**
     * The thread's own events: without the stall watcher's observations (WATCHED), whose number depends on how
     * long the thread stayed blocked (see {@link #watched}).
     */
    public List<TraceEvent> of(String threadName) {
        long id = threadId(threadName);
        return events.stream().filter(e -> e.threadId() == id && !e.has(EventFlags.WATCHED)).toList();
    }

    /** The stall watcher's observations of the thread (THREAD_STATE and the WATCHED events after each). */
    public List<TraceEvent> watched(String threadName) {
        long id = threadId(threadName);
        return events.stream().filter(e -> e.threadId() == id && e.has(EventFlags.WATCHED)).toList();
    }

    /** The last observation of the thread (the final snapshot's, when the thread lived to the end). */
    public List<String> lastObservation(String threadName) {
        List<TraceEvent> w = watched(threadName);
        int last = -1;
        for (int i = 0; i < w.size(); i++) {
            if (w.get(i).kind() == EventKind.THREAD_STATE) {
                last = i;
            }
        }
        return last < 0 ? List.of() : w.subList(last, w.size()).stream().map(this::describe).toList();
    }

    /**
     * The thread's events as short strings, {@code KIND Class [flags] [value]}, without park events (which
     * depend on JDK internals) unless asked for. Objects are named by their simple class name; threads by name.
     */
    public List<String> sequence(String threadName, EventKind... include) {
        List<EventKind> only = List.of(include);
        return of(threadName).stream()
                .filter(e -> only.isEmpty() ? e.kind() != EventKind.PARK_BEGIN && e.kind() != EventKind.PARK_END
                        && e.kind() != EventKind.UNPARK : only.contains(e.kind()))
                .map(this::describe).collect(Collectors.toList());
    }

    public String describe(TraceEvent e) {
        StringBuilder sb = new StringBuilder(e.kind().name());
        if (e.object() != null) {
            String c = e.object().className();
            sb.append(' ').append(c.substring(Math.max(c.lastIndexOf('.'), c.lastIndexOf('$')) + 1));
        } else if (e.objectId() != 0) {
            sb.append(' ').append(threadNames.getOrDefault(e.objectId(), "#" + e.objectId()));
        }
        if (e.kind() == EventKind.THREAD_STATE) {
            sb.append(' ').append(e.text());
        }
        String flags = Flags.names(e.flags());
        if (!flags.isEmpty()) {
            sb.append(' ').append(flags);
        }
        return sb.toString();
    }

    public String stderrWithoutJvmNotes() {
        return stderr.lines().filter(l -> !l.contains("Sharing is only supported for boot loader classes")
                && !l.contains("A Java agent has been loaded dynamically") && !l.startsWith("WARNING:"))
                .collect(Collectors.joining("\n"));
    }
}
