package dev.tangle.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code tangle gui [FILE]}. The viewer lives in its own jar (JavaFX, and the analyser must not depend on it): the
 * {@code ./tangle} launcher starts that jar directly; when this command is reached anyway ({@code java -jar
 * tangle.jar gui}), it starts the jar next to the checkout named by {@code tangle.home} in a child JVM.
 */
@Command(name = "gui", mixinStandardHelpOptions = true,
        description = "Shows a trace in the desktop viewer: thread timeline, findings, wait-for and lock-order"
                + " graphs.")
final class GuiCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "0..1", description = "the trace to open")
    Path file;

    @Override
    public Integer call() throws IOException, InterruptedException {
        return open(file);
    }

    /** Starts the viewer on {@code file} (or empty when null) and waits until its window is closed. */
    static int open(Path file) throws IOException, InterruptedException {
        String home = System.getProperty("tangle.home");
        Path jar = home == null ? null : Path.of(home, "gui", "target", "tangle-gui.jar");
        if (jar == null || !Files.isRegularFile(jar)) {
            throw new BadInputException("the viewer jar gui/target/tangle-gui.jar is missing (build it with"
                    + " 'mvn -B -DskipTests package', or run ./tangle gui)");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", jar.toString()));
        if (file != null) {
            command.add(file.toString());
        }
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }
}
