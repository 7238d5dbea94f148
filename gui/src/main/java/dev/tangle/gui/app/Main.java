package dev.tangle.gui.app;

import javafx.application.Application;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;

/**
 * {@code tangle gui [FILE]}: starts the viewer. A plain main class, not the {@link Application}: launched from the
 * class path (a shaded jar), JavaFX refuses a main class that extends Application ("JavaFX runtime components
 * are missing").
 */
public final class Main {
    private Main() {
    }

    /**
     * JavaFX warns on every start that it was loaded from the class path ("Unsupported JavaFX configuration"):
     * that is how the viewer's jar is built, and nothing the user can change. Only that message is dropped (a
     * filter applies to what is logged to this logger itself, not to its children such as "javafx.css"). Held here
     * so the logger keeps its filter (loggers are weakly referenced).
     */
    private static final Logger JAVAFX_LOG = Logger.getLogger("javafx");

    public static void main(String[] args) {
        int code = check(args, System.err, System.out);
        if (code < 0) {
            code = checkSystem(System.err);
        }
        if (code >= 0) {
            System.exit(code);
        }
        JAVAFX_LOG.setFilter(r -> r.getMessage() == null
                || !r.getMessage().startsWith("Unsupported JavaFX configuration"));
        try {
            Application.launch(TangleApp.class, args);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            String line = SystemCheck.launchFailure(e, System.getenv());
            if (line == null) {
                throw e;
            }
            System.err.println("tangle gui: " + line);
            System.exit(2);
        }
    }

    /**
     * -1 when this machine can show the viewer as far as can be told before JavaFX starts (GTK 3, X11 and OpenGL
     * libraries, a display); else 2, after one line that says what to install or do ({@link SystemCheck}).
     * {@code tangle.gui.linkerCache} names another linker cache than {@code /etc/ld.so.cache} (tests).
     */
    static int checkSystem(PrintStream err) {
        String problem = SystemCheck.problem(System.getProperty("os.name", ""), System.getProperty("glass.platform"),
                System.getenv(), Path.of(System.getProperty("tangle.gui.linkerCache", "/etc/ld.so.cache")));
        if (problem == null) {
            return -1;
        }
        err.println("tangle gui: " + problem);
        return 2;
    }

    /** -1 to go on; else the exit code after printing help or a one-line error. */
    static int check(String[] args, PrintStream err, PrintStream out) {
        if (args.length > 0 && (args[0].equals("-h") || args[0].equals("--help"))) {
            out.println("Usage: tangle gui [-h] [FILE]");
            out.println("Shows a trace in the Tangle viewer: thread timeline, findings, wait-for and lock-order"
                    + " graphs.");
            out.println("      [FILE]   the trace to open (or File > Open, or drop a file on the window)");
            out.println("  -h, --help   Show this help message and exit.");
            return 0;
        }
        if (args.length > 1) {
            err.println("tangle gui: one trace file at most, not " + args.length + " arguments");
            return 2;
        }
        if (args.length == 1 && args[0].startsWith("-")) {
            err.println("tangle gui: unknown option '" + args[0] + "' (see 'tangle gui --help')");
            return 2;
        }
        if (args.length == 1 && !Files.isRegularFile(Path.of(args[0]))) {
            err.println("tangle gui: " + args[0] + (Files.exists(Path.of(args[0])) ? ": not a file"
                    : ": no such file"));
            return 2;
        }
        return -1;
    }
}
