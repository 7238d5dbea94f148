package dev.tangle.cli;

import dev.tangle.detect.Finding;
import dev.tangle.live.LiveSession;
import dev.tangle.model.TraceModel;
import dev.tangle.model.TraceSummary;
import dev.tangle.report.TextReport;

import java.io.PrintWriter;
import java.util.List;

/**
 * Prints what a {@link LiveSession} finds, on stderr (stdout belongs to the program): each finding found while
 * the program runs under a {@code tangle: found while the program runs:} line, the rest as {@code tangle analyze}
 * prints them; messages about the stream as {@code tangle: live: ...}. Shared by {@code record --live} and
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

    /**
     * Ends {@code session} with the complete trace: prints the findings not printed yet, then the summary line
     * of {@code tangle analyze} over all of them (with how many came while the program ran). Returns them all.
     */
    List<Finding> finish(LiveSession session, TraceModel complete, TraceSummary shown) throws InterruptedException {
        List<Finding> all = session.finish(complete);
        synchronized (err) {
            err.println(TextReport.footer(all, shown)
                    + (whileRunning > 0 ? " (" + whileRunning + " reported while the program ran)" : ""));
            err.flush();
        }
        return all;
    }
}
