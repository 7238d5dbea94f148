package dev.tangle.gui.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private int check(String... args) {
        return Main.check(args, new PrintStream(err, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @Test
    void aMissingFileIsOneErrorLineAndExitCode2() {
        assertThat(check(dir.resolve("nope.trace").toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("tangle gui: " + dir.resolve("nope.trace")
                + ": no such file" + System.lineSeparator());
    }

    @Test
    void badArgumentsAreOneErrorLine() {
        assertThat(check("--fast")).isEqualTo(2);
        assertThat(check("a.trace", "b.trace")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "tangle gui: unknown option '--fast' (see 'tangle gui --help')",
                "tangle gui: one trace file at most, not 2 arguments");
    }

    @Test
    void helpAndAnExistingFileGoOn() throws IOException {
        Path trace = Files.writeString(dir.resolve("x.trace"), "x");
        assertThat(check("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: tangle gui [-h] [FILE]");
        assertThat(check(trace.toString())).isEqualTo(-1);
        assertThat(check()).isEqualTo(-1);
        assertThat(err.size()).isZero();
    }
}
