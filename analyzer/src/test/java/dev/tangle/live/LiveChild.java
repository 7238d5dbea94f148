package dev.tangle.live;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A program in a child JVM under the real agent, stdout and stderr in one log file, stdin from the test. */
record LiveChild(Process process, Path log, PrintWriter stdin) {
    private static final long TIMEOUT_MILLIS = 60_000;

    static LiveChild start(Path dir, String agentOptions, Class<?> main, String... args) throws Exception {
        Path log = Files.createTempFile(dir, main.getSimpleName(), ".log");
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-javaagent:" + System.getProperty("tangle.agentJar") + "=buffer=262144," + agentOptions,
                "-cp", Path.of(main.getProtectionDomain().getCodeSource().getLocation().toURI()).toString(),
                main.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new LiveChild(p, log, new PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8));
    }

    void tell(String line) {
        stdin.println(line);
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    /** The agent's own lines (not the JVM's warning about class data sharing). */
    List<String> tangleLines() throws IOException {
        return output().lines().filter(l -> l.startsWith("tangle:")).toList();
    }

    void awaitOutput(String text) throws Exception {
        long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
        while (!output().contains(text)) {
            if (System.currentTimeMillis() > deadline || !process.isAlive() && !output().contains(text)) {
                throw new AssertionError("no '" + text + "' from the program; it printed: " + output());
            }
            Thread.sleep(20);
        }
    }

    int awaitExit() throws Exception {
        stdin.close();
        if (!process.waitFor(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the program did not end; it printed: " + output());
        }
        return process.exitValue();
    }
}
