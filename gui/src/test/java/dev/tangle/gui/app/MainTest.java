package dev.tangle.gui.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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

    /** {@code tangle gui} (this jar's Main) in a child JVM with this environment; its exit code and stderr. */
    private record Child(int exitCode, List<String> errLines) {
    }

    private Child runMain(Map<String, String> env, Path linkerCache) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "--enable-native-access=ALL-UNNAMED", // as the jar's manifest grants (JDK 22+ warns)
                "-cp", System.getProperty("java.class.path"),
                "-Dtangle.gui.linkerCache=" + linkerCache, Main.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("DISPLAY");
        pb.environment().remove("WAYLAND_DISPLAY");
        pb.environment().remove("LD_LIBRARY_PATH");
        pb.environment().putAll(env);
        Path errFile = dir.resolve("child.err");
        Process p = pb.redirectError(errFile.toFile()).redirectOutput(dir.resolve("child.out").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the viewer did not stop: " + Files.readString(errFile));
        }
        return new Child(p.exitValue(), Files.readAllLines(errFile));
    }

    private Path linkerCache(String... fileNames) throws IOException {
        StringBuilder sb = new StringBuilder("glibc-ld.so.cache1.1\0");
        for (String name : fileNames) {
            sb.append(name).append('\0').append("/usr/lib/x86_64-linux-gnu/").append(name).append('\0');
        }
        return Files.write(dir.resolve("ld.so.cache"), sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * A machine without GTK 3: the real main, in its own JVM, says what to install in one line and exits with 2,
     * before JavaFX starts. (The linker cache is made up, so that the test means the same on a machine that has
     * GTK; what it proves is Main's wiring and output, SystemCheckTest proves the decision.)
     */
    @Test
    void withoutGtkTheViewerSaysWhatToInstallInOneLine() throws Exception {
        Child c = runMain(Map.of("DISPLAY", ":0"), linkerCache("libX11.so.6", "libGL.so.1"));

        assertThat(c.exitCode()).isEqualTo(2);
        assertThat(c.errLines()).containsExactly("tangle gui: the viewer (JavaFX on GTK 3) needs system libraries"
                + " that are missing: libgtk-3.so.0, libXtst.so.6, libXxf86vm.so.1; on Debian/Ubuntu install them"
                + " with: sudo apt-get install libgtk-3-0 libgl1 libxtst6 libxxf86vm1");
    }

    @Test
    void withoutADisplayTheViewerSaysHowToGetOneInOneLine() throws Exception {
        Child c = runMain(Map.of(), linkerCache("libgtk-3.so.0", "libX11.so.6", "libXtst.so.6", "libXxf86vm.so.1",
                "libGL.so.1"));

        assertThat(c.exitCode()).isEqualTo(2);
        assertThat(c.errLines()).singleElement().asString()
                .startsWith("tangle gui: no display to open the window on (DISPLAY is not set): ");
    }

    /**
     * Past the check, JavaFX itself fails: a display that does not exist. JavaFX opens the display (libX11) before
     * it loads GTK, so the failure is the display's on any machine whose X11 and OpenGL libraries are there (its
     * own linker cache says so, and then the made-up GTK entry lets the check pass); where they are not, the check
     * stops first. Either way: one line, exit code 2, no stack trace and no JavaFX warning.
     */
    @Test
    void javaFxsOwnFailureIsOneLineToo() throws Exception {
        Path real = Path.of("/etc/ld.so.cache");
        byte[] machine = Files.exists(real) ? Files.readAllBytes(real) : new byte[0];
        Path cache = Files.write(dir.resolve("ld.so.cache"), machine);
        Files.write(cache, "libgtk-3.so.0\0/usr/lib/libgtk-3.so.0\0".getBytes(StandardCharsets.ISO_8859_1),
                java.nio.file.StandardOpenOption.APPEND);
        boolean librariesHere = SystemCheck.missingLibraries(null, cache).isEmpty();

        Child c = runMain(Map.of("DISPLAY", ":7351"), cache);

        assertThat(c.exitCode()).as("%s", c.errLines()).isEqualTo(2);
        assertThat(c.errLines()).singleElement().asString().startsWith(librariesHere
                ? "tangle gui: no display to open the window on (DISPLAY=:7351 cannot be opened): "
                : "tangle gui: the viewer (JavaFX on GTK 3) needs system libraries that are missing: ");
    }
}
