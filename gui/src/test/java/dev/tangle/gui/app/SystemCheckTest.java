package dev.tangle.gui.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The decision whether the viewer can start here, on made-up linker caches and environments. */
class SystemCheckTest {
    @TempDir
    Path dir;

    /** A linker cache as the linker writes it: for each library its name, then its path, NUL-terminated. */
    private Path cache(String... fileNames) throws IOException {
        StringBuilder sb = new StringBuilder("glibc-ld.so.cache1.1\0");
        for (String name : fileNames) {
            sb.append(name).append('\0').append("/usr/lib/x86_64-linux-gnu/").append(name).append('\0');
        }
        return Files.write(dir.resolve("ld.so.cache"), sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    private static final String[] ALL = {"libgtk-3.so.0", "libX11.so.6", "libXtst.so.6", "libXxf86vm.so.1",
        "libGL.so.1"};

    @Test
    void withoutGtkItNamesTheMissingLibrariesAndThePackages() throws IOException {
        String problem = SystemCheck.problem("Linux", null, Map.of("DISPLAY", ":0"),
                cache("libX11.so.6", "libGL.so.1", "libXtst.so.6"));

        assertThat(problem).isEqualTo("the viewer (JavaFX on GTK 3) needs system libraries that are missing:"
                + " libgtk-3.so.0, libXxf86vm.so.1; on Debian/Ubuntu install them with:"
                + " sudo apt-get install libgtk-3-0 libgl1 libxtst6 libxxf86vm1");
    }

    @Test
    void aLibraryInLdLibraryPathCounts() throws IOException {
        Path libs = Files.createDirectories(dir.resolve("libs"));
        Files.createFile(libs.resolve("libgtk-3.so.0"));
        Files.createFile(libs.resolve("libXxf86vm.so.1"));
        Map<String, String> env = Map.of("DISPLAY", ":0", "LD_LIBRARY_PATH", "/nonexistent::" + libs);

        assertThat(SystemCheck.problem("Linux", null, env, cache("libX11.so.6", "libGL.so.1", "libXtst.so.6")))
                .isNull();
    }

    @Test
    void withTheLibrariesButNoDisplayItSaysHowToGetOne() throws IOException {
        assertThat(SystemCheck.problem("Linux", null, Map.of(), cache(ALL))).isEqualTo("no display to open the"
                + " window on (DISPLAY is not set): run it in a desktop session or with 'ssh -X', or on a virtual"
                + " display: xvfb-run ./tangle gui (Debian/Ubuntu: sudo apt-get install xvfb xauth)");
        assertThat(SystemCheck.problem("Linux", null, Map.of("DISPLAY", ":0"), cache(ALL))).isNull();
    }

    @Test
    void nothingIsDecidedElsewhere() throws IOException {
        Path noGtk = cache("libX11.so.6");
        assertThat(SystemCheck.problem("Mac OS X", null, Map.of(), noGtk)).isNull();
        assertThat(SystemCheck.problem("Windows 11", null, Map.of(), noGtk)).isNull();
        // headless (the tests' Monocle) needs neither GTK nor a display
        assertThat(SystemCheck.problem("Linux", "Monocle", Map.of(), noGtk)).isNull();
        // no linker cache (musl, NixOS): the libraries cannot be told, the display still can
        assertThat(SystemCheck.problem("Linux", null, Map.of("DISPLAY", ":0"), dir.resolve("none"))).isNull();
        assertThat(SystemCheck.missingLibraries(null, dir.resolve("none"))).isEmpty();
    }

    /** JavaFX's own failures, as JavaFX 21 throws them from Application.launch. */
    @Test
    void javaFxStartFailuresAboutTheSystemAreOneLine() {
        assertThat(SystemCheck.launchFailure(new UnsupportedOperationException("Unable to load glass GTK library."),
                Map.of())).isEqualTo("JavaFX cannot load GTK 3, which the viewer needs; on Debian/Ubuntu install it"
                + " with: sudo apt-get install libgtk-3-0 libgl1 libxtst6 libxxf86vm1");
        assertThat(SystemCheck.launchFailure(new RuntimeException("Application launch exception",
                new UnsupportedOperationException("Unable to open DISPLAY")), Map.of("DISPLAY", ":9")))
                .startsWith("no display to open the window on (DISPLAY=:9 cannot be opened): ");
        assertThat(SystemCheck.launchFailure(new UnsatisfiedLinkError("libglass.so: libX11.so.6: cannot open"),
                Map.of())).startsWith("JavaFX cannot load its native libraries (libglass.so: libX11.so.6: cannot"
                + " open); on Debian/Ubuntu install what it needs with: sudo apt-get install libgtk-3-0");
        // anything else is a bug of ours: its stack trace stays
        assertThat(SystemCheck.launchFailure(new IllegalStateException("boom"), Map.of())).isNull();
    }
}
