package dev.tangle.cli;

import dev.tangle.detect.Finding;
import dev.tangle.live.LiveSession;
import dev.tangle.report.TextReport;

import java.io.PrintWriter;

/**
 * Prints what a {@link LiveSession} finds, on stderr (stdout belongs to the program): each finding found while
 * the program runs under a {@code tangle: found while running} line, the rest as {@code tangle analyze} prints
 * them; messages about the stream as {@code tangle: live: ...}. Shared by {@code record --live} and
 * {@code attach --live}.
 */
final class LiveFindingsPrinter implements LiveSession.Listener {
    private final PrintWriter err;
    private int whileRunning;

    LiveFindingsPrinter(PrintWriter err) {
        this.err = err;
    }

    @Override
    public void finding(Finding finding, boolean atEnd) {
        synchronized (err) { // the session's thread and the command's may both print
            if (!atEnd) {
                whileRunning++;
                err.println("tangle: found while the program runs:");
            }
            TextReport.writeFinding(err, finding);
            err.println();
            err.flush();
        }
    }

    @Override
    public void message(String line) {
        synchronized (err) {
            err.println("tangle: live: " + line);
            err.flush();
        }
    }

    /** How many findings were printed while the program ran. */
    int whileRunning() {
        synchronized (err) {
            return whileRunning;
        }
    }
}
