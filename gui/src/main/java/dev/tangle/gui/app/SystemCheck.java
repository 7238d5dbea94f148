package dev.tangle.gui.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the viewer needs from the system before JavaFX starts, and JavaFX's own start-up failures, as one line
 * that says what to install. Without it, a machine without GTK shows JavaFX's stack trace ("Unable to load glass
 * GTK library"), and one without X11 or OpenGL libraries first gets JavaFX's own stack traces of the pipelines it
 * tries.
 *
 * <p>On Linux JavaFX draws through GTK 3 on X11 (XWayland under Wayland): it opens {@code $DISPLAY} with libX11,
 * then loads GTK 3, libXtst and libXxf86vm, and OpenGL for its hardware pipeline. Whether a library is there is
 * decided as the dynamic linker would find it: in a directory of {@code LD_LIBRARY_PATH}, or in the linker's cache
 * {@code /etc/ld.so.cache}, whose entries hold each library's file name. Where there is no such cache (musl, NixOS),
 * nothing is decided and JavaFX's own failure, if any, is turned into one line by {@link #launchFailure}.
 */
final class SystemCheck {
    /** A shared library JavaFX's GTK glass and ES2 pipeline load, and the Debian/Ubuntu package that has it. */
    record Library(String fileName, String debianPackage) {
    }

    static final List<Library> NEEDED = List.of(
            new Library("libgtk-3.so.0", "libgtk-3-0"),
            new Library("libX11.so.6", "libx11-6"),
            new Library("libXtst.so.6", "libxtst6"),
            new Library("libXxf86vm.so.1", "libxxf86vm1"),
            new Library("libGL.so.1", "libgl1"));

    /** The packages of every needed library, for the install command (apt-get skips those present). */
    static final String INSTALL = "sudo apt-get install libgtk-3-0 libgl1 libxtst6 libxxf86vm1";

    private SystemCheck() {
    }

    /**
     * The one-line error (without the {@code tangle gui: } prefix) when the viewer cannot start here, or null to go
     * on and start JavaFX.
     *
     * @param osName          {@code os.name}
     * @param glassPlatform   {@code glass.platform}: set (Monocle, headless), JavaFX needs no GTK and no display
     * @param env             the environment ({@code DISPLAY}, {@code LD_LIBRARY_PATH})
     * @param linkerCache     the dynamic linker's cache, normally {@code /etc/ld.so.cache}
     */
    static String problem(String osName, String glassPlatform, Map<String, String> env, Path linkerCache) {
        if (!osName.toLowerCase(Locale.ROOT).startsWith("linux")
                || glassPlatform != null && !glassPlatform.equalsIgnoreCase("gtk")) {
            return null;
        }
        List<String> missing = missingLibraries(env.get("LD_LIBRARY_PATH"), linkerCache);
        if (!missing.isEmpty()) {
            return "the viewer (JavaFX on GTK 3) needs system libraries that are missing: "
                    + String.join(", ", missing) + "; on Debian/Ubuntu install them with: " + INSTALL;
        }
        String display = env.get("DISPLAY");
        if (display == null || display.isBlank()) {
            return noDisplay("DISPLAY is not set");
        }
        return null;
    }

    private static String noDisplay(String why) {
        return "no display to open the window on (" + why + "): run it in a desktop session or with 'ssh -X',"
                + " or on a virtual display: xvfb-run ./tangle gui (Debian/Ubuntu: sudo apt-get install xvfb xauth)";
    }

    /**
     * The needed libraries the dynamic linker would not find, by file name; empty when all are there or when it
     * cannot be told (no linker cache).
     */
    static List<String> missingLibraries(String ldLibraryPath, Path linkerCache) {
        String cache;
        try {
            // entries are NUL-terminated strings: the library's name, then its path
            cache = new String(Files.readAllBytes(linkerCache), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return List.of();
        }
        List<String> missing = new ArrayList<>();
        for (Library lib : NEEDED) {
            if (!cache.contains("/" + lib.fileName() + "\0") && !inPath(ldLibraryPath, lib.fileName())) {
                missing.add(lib.fileName());
            }
        }
        return missing;
    }

    private static boolean inPath(String path, String fileName) {
        if (path == null) {
            return false;
        }
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.exists(Path.of(dir, fileName))) {
                return true;
            }
        }
        return false;
    }

    /**
     * JavaFX's own failure to start, as one line (without the prefix), or null for a failure that is not about
     * the system (a bug: its stack trace is worth showing).
     */
    static String launchFailure(Throwable failure, Map<String, String> env) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (t instanceof UnsupportedOperationException && message.contains("Unable to open DISPLAY")) {
                return noDisplay("DISPLAY=" + env.getOrDefault("DISPLAY", "") + " cannot be opened");
            }
            if (t instanceof UnsupportedOperationException && message.contains("Unable to load glass GTK library")) {
                return "JavaFX cannot load GTK 3, which the viewer needs; on Debian/Ubuntu install it with: "
                        + INSTALL;
            }
            if (t instanceof UnsatisfiedLinkError) {
                return "JavaFX cannot load its native libraries (" + message + "); on Debian/Ubuntu install what"
                        + " it needs with: " + INSTALL;
            }
        }
        return null;
    }
}
