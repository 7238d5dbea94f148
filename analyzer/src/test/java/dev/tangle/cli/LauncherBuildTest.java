package dev.tangle.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first {@code ./tangle} builds the project with {@code mvn -q -B ... -f ROOT/pom.xml}, its output on the
 * user's terminal. Debian's Maven 3.8.7 (jansi 2.4.0) wrote a colour reset, ESC [0m, on each stream at exit even
 * in batch mode and when not on a terminal; the checkout's {@code .mvn/jvm.config} turns that off
 * ({@code -Djansi.noreset=true}). This runs the same Maven with the launcher's flags on the checkout (the cheap
 * goal {@code validate}, top project only: the reset came from Maven's console set-up, not from a goal) and
 * looks for an ESC byte in everything it prints.
 */
class LauncherBuildTest {
    @Test
    void theLaunchersQuietBuildPrintsNoEscapeSequence() throws IOException, InterruptedException {
        Path mvn = Path.of(System.getProperty("tangle.mavenHome", "(unset)"), "bin", "mvn");
        Path root = Path.of(System.getProperty("tangle.root", "(unset)"));
        assertThat(mvn).as("the Maven running this build").isExecutable();
        assertThat(root.resolve("tangle")).as("the launcher").isRegularFile();
        Path output = Files.createTempFile("tangle-mvn", ".log");
        try {
            Process p = new ProcessBuilder(mvn.toString(), "-q", "-B", "-o", "-N", "-f",
                    root.resolve("pom.xml").toString(), "validate")
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("mvn validate ends").isTrue();
            byte[] printed = Files.readAllBytes(output);
            assertThat(p.exitValue()).as(new String(printed, StandardCharsets.UTF_8)).isZero();
            assertThat(printed).as("what Maven printed: %s", new String(printed, StandardCharsets.UTF_8))
                    .doesNotContain((byte) 0x1b);
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
