package dev.tangle.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

/**
 * Runs a Java program in a child JVM with the Tangle agent and reports the trace it wrote. The child uses the
 * same {@code java} as this JVM, shares our stdin, stdout and stderr, and its exit code becomes ours.
 */
@Command(name = "record", mixinStandardHelpOptions = true, sortOptions = false,
        customSynopsis = "tangle record [-hV] [--live] [--no-analyze] [-o=FILE] [--stack-depth=N]"
                + " [--stacks=first|all|none] -- JAVA_ARGS...",
        description = {"Runs a Java program with the Tangle agent and writes its trace.",
                "Everything after '--' is given to java as is, e.g.:",
                "  tangle record --out app.trace -- -cp app.jar com.example.Main arg1",
                "When the program ends, the trace is analysed and the findings are printed on stderr.",
                "With --live, deadlocks and lock-order inversions are printed as soon as they are detected."},
        footer = {"Exit code: the program's (findings do not change it; use 'tangle analyze --fail-on' to fail a"
                + " build on them), or 2 when Tangle itself could not run it or read its trace."})
final class RecordCommand implements Callable<Integer> {
    /** The system property that names the agent jar; the ./tangle launcher sets it. */
    static final String AGENT_JAR_PROPERTY = "tangle.agentJar";
    private static final Set<String> STACK_MODES = Set.of("first", "all", "none");
    /** java options that take their value as the next argument. */
    private static final Set<String> OPTIONS_WITH_VALUE = Set.of("-cp", "-classpath", "--class-path", "-p",
            "--module-path", "--upgrade-module-path", "--add-modules", "--limit-modules", "--add-reads",
            "--add-exports", "--add-opens", "--patch-module", "--enable-native-access", "--source");

    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE",
            description = "the trace file (default: tangle-MAIN-yyyyMMdd-HHmmss.trace here)")
    Path out;

    @Option(names = "--no-analyze", description = "do not analyse the trace when the program ends")
    boolean noAnalyze;

    @Option(names = "--live", description = "stream the events to this process while the program runs and print"
            + " deadlocks and lock-order inversions as soon as they are detected")
    boolean live;

    private int stackDepth = 16;
    private String stacks = "first";

    @Parameters(paramLabel = "JAVA_ARGS", arity = "1..*",
            description = "the arguments of java: options, then the main class (or -jar JAR) and its arguments")
    List<String> javaArgs;

    /** Where the child's stdout and stderr go; tests send them to a file instead of the test JVM's streams. */
    private Redirect childOutput = Redirect.INHERIT;

    @Option(names = "--stack-depth", paramLabel = "N",
            description = "frames per captured stack, 1..1024 (default: 16)")
    void setStackDepth(int depth) {
        if (depth < 1 || depth > 1024) {
            throw new ParameterException(spec.commandLine(), "--stack-depth must be between 1 and 1024, not "
                    + depth);
        }
        stackDepth = depth;
    }

    @Option(names = "--stacks", paramLabel = "first|all|none",
            description = "capture a stack at the first blocking request of each thread at each site (default),"
                    + " at every request, or never")
    void setStacks(String mode) {
        if (!STACK_MODES.contains(mode)) {
            throw new ParameterException(spec.commandLine(), "--stacks must be first, all or none, not '"
                    + mode + "'");
        }
        stacks = mode;
    }

    void redirectChildOutput(Path file) {
        childOutput = Redirect.appendTo(file.toFile());
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path agentJar = agentJar();
        Path trace = out != null ? out : Paths.get(defaultFileName(javaArgs, LocalDateTime.now()));
        Path absoluteTrace = RecordingReport.newTraceFile(trace);

        try (LiveRecording recording = LiveRecording.start(live, spec.commandLine().getErr())) {
            List<String> command = new ArrayList<>();
            command.add(javaExecutable());
            command.add("-javaagent:" + agentJar + "=" + agentOptions(absoluteTrace)
                    + (recording.isLive() ? "," + recording.agentOptions() : ""));
            command.addAll(javaArgs);
            Process child = new ProcessBuilder(command)
                    .redirectInput(Redirect.INHERIT)
                    .redirectOutput(childOutput)
                    .redirectError(childOutput)
                    .start();
            int exitCode = waitFor(child);
            recording.report(trace, absoluteTrace, !noAnalyze);
            return exitCode;
        }
    }

    private String agentOptions(Path trace) {
        return agentOptions(trace, stackDepth, stacks, javaArgs);
    }

    /** Agent options: {@code out=...,stackDepth=...,stacks=...[,command=...]} (see the agent's AgentConfig). */
    static String agentOptions(Path trace, int stackDepth, String stacks, List<String> javaArgs) {
        StringBuilder options = new StringBuilder("out=").append(trace)
                .append(",stackDepth=").append(stackDepth)
                .append(",stacks=").append(stacks);
        String commandText = "java " + String.join(" ", javaArgs);
        if (!commandText.contains(",")) {
            // with a comma it cannot be passed; the agent then records the JVM's own sun.java.command
            options.append(",command=").append(commandText);
        }
        return options.toString();
    }

    /** Waits for the child; if this JVM is stopped first, stops the child too so that it can close its trace. */
    private static int waitFor(Process child) throws InterruptedException {
        Thread stopChild = new Thread(() -> {
            child.destroy();
            try {
                child.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tangle-stop-child");
        Runtime.getRuntime().addShutdownHook(stopChild);
        try {
            return child.waitFor();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopChild);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs
            }
        }
    }

    /** The agent jar, from {@link #AGENT_JAR_PROPERTY}. */
    static Path agentJar() {
        String property = System.getProperty(AGENT_JAR_PROPERTY);
        if (property == null || property.isBlank()) {
            throw new BadInputException("the agent jar is unknown: system property " + AGENT_JAR_PROPERTY
                    + " is not set (run tangle through the ./tangle launcher)");
        }
        Path jar = Paths.get(property).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new BadInputException(jar + ": agent jar not found (" + AGENT_JAR_PROPERTY
                    + "; build it with mvn -DskipTests package)");
        }
        return jar;
    }

    /** The java of this JVM, so the program runs on the same version as Tangle. */
    static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** {@code tangle-<main class simple name or 'java'>-<yyyyMMdd-HHmmss>.trace}. */
    static String defaultFileName(List<String> javaArgs, LocalDateTime now) {
        return "tangle-" + mainName(javaArgs) + "-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(now)
                + ".trace";
    }

    /** The simple name of the main class the java arguments run, or "java" when it cannot be told. */
    static String mainName(List<String> javaArgs) {
        for (int i = 0; i < javaArgs.size(); i++) {
            String arg = javaArgs.get(i);
            if (arg.equals("-jar") && i + 1 < javaArgs.size()) {
                return simpleName(mainClassOfJar(javaArgs.get(i + 1)));
            }
            if ((arg.equals("-m") || arg.equals("--module")) && i + 1 < javaArgs.size()) {
                String module = javaArgs.get(i + 1);
                int slash = module.indexOf('/');
                return slash < 0 ? "java" : simpleName(module.substring(slash + 1));
            }
            if (arg.startsWith("--module=")) {
                int slash = arg.indexOf('/');
                return slash < 0 ? "java" : simpleName(arg.substring(slash + 1));
            }
            if (OPTIONS_WITH_VALUE.contains(arg)) {
                i++;
            } else if (arg.startsWith("@")) {
                return "java"; // an argument file may hold the main class
            } else if (!arg.startsWith("-")) {
                return simpleName(arg.endsWith(".java") ? arg.substring(0, arg.length() - 5) : arg);
            }
        }
        return "java";
    }

    private static String mainClassOfJar(String jar) {
        try (JarFile file = new JarFile(jar)) {
            String main = file.getManifest() == null ? null
                    : file.getManifest().getMainAttributes().getValue("Main-Class");
            return main == null ? "java" : main.trim();
        } catch (IOException e) {
            return "java";
        }
    }

    private static String simpleName(String className) {
        String name = className.substring(Math.max(className.lastIndexOf('.'), className.lastIndexOf('/')) + 1);
        name = name.substring(name.lastIndexOf('$') + 1);
        return name.isEmpty() || !name.chars().allMatch(c -> Character.isJavaIdentifierPart(c)) ? "java" : name;
    }
}
