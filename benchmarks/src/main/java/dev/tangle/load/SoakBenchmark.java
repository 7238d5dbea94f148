package dev.tangle.load;

import dev.tangle.trace.EventKind;
import dev.tangle.trace.TraceEvent;
import dev.tangle.trace.TraceReader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak run ({@code benchmarks/soak.sh}): one workload (by default the load benchmark's H2 server,
 * {@link H2Load}) for many minutes in a child JVM under the agent, with short-lived locks churned beside it
 * ({@link SoakRun}); then the trace is read back and analysed. Appends one table to {@code --results}: per sample,
 * the program's heap, the agent's object table and pools, the trace's size and the events per second recorded
 * in that interval; and under it events written (the END chunk's count) against events read back, events lost,
 * the workload's errors and the findings of {@code tangle analyze}.
 */
public final class SoakBenchmark {
    private static final Pattern RESULT = Pattern.compile("RESULT workload=(\\S+) threads=(\\d+) seconds=([\\d.]+)"
            + " ops=(\\d+) opsPerSecond=([\\d.]+) errors=(\\d+)");

    private SoakBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String java = arg(args, "--java", "java");
        Path benchJar = Path.of(arg(args, "--bench-jar", null));
        Path agentJar = Path.of(arg(args, "--agent-jar", null));
        Path cliJar = Path.of(arg(args, "--cli-jar", null));
        String workload = arg(args, "--workload", "dev.tangle.load.H2Load");
        double minutes = Double.parseDouble(arg(args, "--minutes", "10"));
        int threads = Integer.parseInt(arg(args, "--threads", "4"));
        double sample = Double.parseDouble(arg(args, "--sample-seconds", "60"));
        int churn = Integer.parseInt(arg(args, "--churn-per-second", "2000"));
        String heap = arg(args, "--heap", "512m");
        String analyzeHeap = arg(args, "--analyze-heap", "12g");
        int pace = Integer.parseInt(arg(args, "--ops-per-second", "0"));
        Path work = Path.of(arg(args, "--work", null));
        Path results = Path.of(arg(args, "--results", null));
        Files.createDirectories(work);
        Path trace = work.resolve("soak.trace");
        Path csv = work.resolve("samples.csv");
        Path out = work.resolve("soak.out");
        Path err = work.resolve("soak.err");
        Files.deleteIfExists(trace);

        List<String> cmd = List.of(java, "-Xmx" + heap, "-D" + Workload.PACE_PROPERTY + "=" + pace,
                "-javaagent:" + agentJar + "=out=" + trace, "-cp",
                benchJar.toString(), SoakRun.class.getName(), trace.toString(), String.valueOf(sample),
                csv.toString(), String.valueOf(churn), workload, String.valueOf(minutes * 60),
                String.valueOf(threads), "5");
        System.out.println("== soak: " + String.join(" ", cmd));
        long started = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor((long) (minutes * 60 + 300), TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new IllegalStateException("the soak run did not end; see " + out + " and " + err);
        }
        double wall = (System.nanoTime() - started) / 1e9;
        String output = Files.readString(out);
        Matcher m = RESULT.matcher(output);
        if (p.exitValue() != 0 || !m.find()) {
            throw new IllegalStateException("soak run: exit " + p.exitValue() + ", no result; see " + out + ", " + err);
        }
        long ops = Long.parseLong(m.group(4));
        long errors = Long.parseLong(m.group(6));
        Matcher c = Pattern.compile("SOAK churned=(\\d+)").matcher(output);
        long churned = c.find() ? Long.parseLong(c.group(1)) : -1;
        List<String> agentLines = Files.readAllLines(err).stream().filter(l -> l.startsWith("tangle:")).toList();

        // events per sample interval, from the events' own times
        long sampleNanos = (long) (sample * 1e9);
        List<long[]> perInterval = new ArrayList<>();
        long read;
        long declared;
        long lost;
        long lostMarked = 0;
        long leafHolds = 0;
        boolean complete;
        try (TraceReader r = TraceReader.open(trace)) {
            for (TraceEvent e = r.next(); e != null; e = r.next()) {
                int i = (int) Math.max(0, e.time() / sampleNanos);
                while (perInterval.size() <= i) {
                    perInterval.add(new long[1]);
                }
                perInterval.get(i)[0]++;
                if (e.kind() == EventKind.LOST_EVENTS) {
                    lostMarked += e.value();
                } else if (e.kind() == EventKind.LEAF_HOLDS) {
                    leafHolds += e.value();
                }
            }
            read = r.eventsRead();
            declared = r.declaredEvents();
            lost = r.lostEvents();
            complete = r.isComplete();
        }
        List<String> messages = new ArrayList<>();
        // the analyser holds every event while it builds the model, about 40 bytes each: a 10-minute server run
        // records hundreds of millions
        int findings = LoadBenchmark.analyze(java, analyzeHeap, cliJar, trace, work.resolve("soak.analysis"),
                messages);

        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "%n## Soak: %s for %.0f minutes under the agent (%s)%n%n", workload,
                minutes, LocalDate.now()));
        md.append(String.format(Locale.ROOT, "`%sbenchmarks/soak.sh %s %s` (%d client threads%s, heap %s, %,d"
                        + " short-lived locks a second churned beside it, a sample every %.0f s, analysed with"
                        + " -Xmx%s; load average at the end %s). Heap after GC is what the last collection left; the agent's object table is"
                        + " `Tables.sizes()`: entries of live objects and buckets; events/s are the events recorded"
                        + " in the interval before the sample, by their times.%n%n", pace > 0 ? "OPS_PER_SECOND="
                        + pace + " " : "", fmt(minutes), workload, threads, pace > 0 ? ", each paced to " + pace
                        + " operations a second" : "",
                heap, churn, sample, analyzeHeap, loadAverage()));
        md.append("| time | heap after GC | heap | object entries | buckets | strings | frames | stacks | trace"
                + " | events/s | locks churned |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        List<String> rows = Files.readAllLines(csv);
        int lastInterval = -1;
        for (String row : rows.subList(1, rows.size())) {
            if (row.startsWith("#")) {
                continue;
            }
            String[] f = row.split(",");
            double t = Double.parseDouble(f[0]);
            int i = (int) (t / sample) - 1; // the interval that ended at this sample
            long events = i >= 0 && i < perInterval.size() ? perInterval.get(i)[0] : 0;
            // the last sample, taken after the workload ended, closes no interval of its own
            String rate = i < 0 ? "0" : i == lastInterval ? "(end)" : String.format(Locale.ROOT, "%,.0f",
                    events / sample);
            lastInterval = i;
            md.append(String.format(Locale.ROOT, "| %.0f s | %s MiB | %s MiB | %s | %s | %s | %s | %s | %.1f MiB |"
                            + " %s | %,d |%n", t, f[1], f[2], f[3], f[4], f[5], f[6], f[7],
                    Long.parseLong(f[8]) / 1048576.0, rate, Long.parseLong(f[9])));
        }
        md.append(String.format(Locale.ROOT, "%nEvents written (END chunk) %,d, read back %,d (%s), lost %,d"
                        + " (LOST_EVENTS markers %,d); holds counted in LEAF_HOLDS %,d; trace %.1f MiB, %.2f B/event."
                        + " Workload: %,d operations, %d errors; %,d short-lived locks churned. `tangle analyze`:"
                        + " %s. Agent messages: %s. Wall time %.0f s.%n", declared, read,
                read == declared ? "equal" : "DIFFERENT", lost, lostMarked, leafHolds,
                Files.size(trace) / 1048576.0, (double) Files.size(trace) / Math.max(1, read), ops, errors, churned,
                findings == 0 ? "0 findings" : findings < 0 ? "FAILED" : findings + " FINDINGS",
                agentLines.isEmpty() ? "none" : String.join("; ", agentLines), wall));
        if (!complete) {
            md.append("The trace has no END chunk.\n");
        }
        for (String msg : messages) {
            md.append("    ").append(msg).append('\n');
        }
        System.out.print(md);
        Files.writeString(results, md.toString(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.println("== appended to " + results + "; samples in " + csv);
    }

    private static String fmt(double minutes) {
        return minutes == Math.rint(minutes) ? String.valueOf((long) minutes) : String.valueOf(minutes);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }

    private static String arg(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        if (fallback == null) {
            throw new IllegalArgumentException("missing " + name);
        }
        return fallback;
    }
}
