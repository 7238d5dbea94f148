package dev.tangle.gui.app;

import javafx.application.Application;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code tangle gui [FILE]}: starts the viewer. A plain main class, not the {@link Application}: launched from the
 * class path (a shaded jar), JavaFX refuses a main class that extends Application ("JavaFX runtime components
 * are missing").
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        int code = check(args, System.err, System.out);
        if (code >= 0) {
            System.exit(code);
        }
        Application.launch(TangleApp.class, args);
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
