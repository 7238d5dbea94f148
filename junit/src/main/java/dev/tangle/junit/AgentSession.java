package dev.tangle.junit;

import net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The recording agent in this JVM, one per JVM: loaded with {@code -javaagent} (the argLine), or attached by the
 * extension on first use. Reaches the agent's {@code TestMarks} API through the bootstrap class loader, where the
 * agent put it, so the extension talks to the recording copy and never to the one on the class path.
 */
final class AgentSession {
    /** The analysis and the test framework are not the program: never instrumented when we attach. */
    static final String NOT_THE_PROGRAM = "dev.tangle.junit;dev.tangle.model;dev.tangle.detect;dev.tangle.graph;"
            + "dev.tangle.report;dev.tangle.live;dev.tangle.cli;org.jgrapht;org.jheaps;com.fasterxml.jackson;"
            + "picocli;net.bytebuddy;org.junit;org.opentest4j;org.apiguardian;org.apache.maven.surefire";
    private static final String MARKS = "dev.tangle.agent.bootstrap.TestMarks";
    private static AgentSession instance;

    final Path trace;
    /** True when the extension attached the agent (the trace then has blind spots). */
    final boolean attached;
    private final MethodHandle begin;
    private final MethodHandle end;
    private final MethodHandle flush;
    private final MethodHandle now;
    private final MethodHandle runUnrecorded;

    private AgentSession(Path trace, boolean attached, Class<?> marks) throws ReflectiveOperationException {
        this.trace = trace;
        this.attached = attached;
        MethodHandles.Lookup l = MethodHandles.publicLookup();
        begin = l.findStatic(marks, "begin", MethodType.methodType(long.class, String.class, long.class));
        end = l.findStatic(marks, "end", MethodType.methodType(long.class, String.class, long.class, boolean.class));
        flush = l.findStatic(marks, "flush", MethodType.methodType(long.class));
        now = l.findStatic(marks, "now", MethodType.methodType(long.class));
        runUnrecorded = l.findStatic(marks, "runUnrecorded", MethodType.methodType(void.class, Runnable.class));
    }

    /** The recording session, attaching the agent first when the JVM was not started with it. */
    static synchronized AgentSession get(TangleSettings settings) {
        if (instance != null) {
            return instance;
        }
        boolean attached = false;
        String recording = System.getProperty("tangle.recording");
        if (recording == null) {
            if (System.getProperty("tangle.stopped") != null) {
                throw new ExtensionConfigurationException("tangle: the agent in this JVM stopped recording ("
                        + System.getProperty("tangle.stopReason") + "); a JVM can be recorded once");
            }
            attach(settings);
            attached = true;
            recording = System.getProperty("tangle.recording");
            if (recording == null) {
                throw new ExtensionConfigurationException("tangle: the agent did not start recording: "
                        + System.getProperty("tangle.error", "see the agent's message on stderr"));
            }
        }
        try {
            instance = new AgentSession(Path.of(recording), attached, Class.forName(MARKS, true, null));
        } catch (ClassNotFoundException e) {
            throw new ExtensionConfigurationException("tangle: the agent records to " + recording + " but its"
                    + " classes are not on the boot class path (an agent older than this extension?)", e);
        } catch (ReflectiveOperationException e) {
            throw new ExtensionConfigurationException("tangle: the agent's TestMarks API is missing or different: "
                    + e, e);
        }
        return instance;
    }

    private static void attach(TangleSettings settings) {
        Path jar = agentJar(settings);
        long pid = ProcessHandle.current().pid();
        Path out = settings.outputDir().resolve("tangle-" + pid + ".trace");
        if (out.toString().contains(",")) {
            throw new ExtensionConfigurationException("tangle: the trace path cannot contain ',': " + out);
        }
        try {
            Files.createDirectories(out.getParent());
        } catch (IOException e) {
            throw new ExtensionConfigurationException("tangle: cannot create " + out.getParent() + ": " + e, e);
        }
        String options = "out=" + out + ",exclude=" + NOT_THE_PROGRAM
                + (settings.agentOptions().isBlank() ? "" : "," + settings.agentOptions());
        try {
            ByteBuddyAgent.attach(jar.toFile(), Long.toString(pid), options);
        } catch (RuntimeException e) {
            throw new ExtensionConfigurationException("tangle: cannot attach the agent " + jar + " to this JVM (" + e
                    + "); load it with -javaagent instead (see the README)", e);
        }
    }

    /** {@code tangle.agentJar}, else the jar on the class path that holds the agent. */
    static Path agentJar(TangleSettings settings) {
        if (!settings.agentJar().isBlank()) {
            Path p = Path.of(settings.agentJar());
            if (!Files.isRegularFile(p)) {
                throw new ExtensionConfigurationException("tangle: " + TangleSettings.AGENT_JAR + ": no such file: "
                        + p);
            }
            return p;
        }
        URL url = AgentSession.class.getClassLoader().getResource("dev/tangle/agent/instrument/TangleAgent.class");
        if (url != null && url.getProtocol().equals("jar")) {
            String file = url.getPath().substring(0, url.getPath().indexOf("!/"));
            try {
                return Path.of(new URL(file).toURI());
            } catch (IOException | URISyntaxException | IllegalArgumentException e) {
                throw new ExtensionConfigurationException("tangle: cannot locate the agent jar from " + url, e);
            }
        }
        throw new ExtensionConfigurationException("tangle: the agent jar (dev.tangle:tangle-agent) is not on the"
                + " class path; set " + TangleSettings.AGENT_JAR + " or load it with -javaagent");
    }

    long begin(String testId, long number) {
        return (long) invoke(begin, testId, number);
    }

    long end(String testId, long number, boolean failed) {
        return (long) invoke(end, testId, number, failed);
    }

    /** Writes everything recorded so far to the trace file; returns its length (-1: no longer recording). */
    long flush() {
        return (long) invoke(flush);
    }

    /** The present in the trace's clock (ns since recording began). */
    long now() {
        return (long) invoke(now);
    }

    void runUnrecorded(Runnable action) {
        invoke(runUnrecorded, action);
    }

    private static Object invoke(MethodHandle h, Object... args) {
        try {
            return h.invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
