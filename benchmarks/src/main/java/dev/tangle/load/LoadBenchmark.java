package dev.tangle.load;

import dev.tangle.trace.EventKind;
import dev.tangle.trace.TraceEvent;
import dev.tangle.trace.TraceReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load benchmark ({@code benchmarks/load.sh}): each workload runs in a child JVM without the agent and under
 * it (default options unless {@code --agent-opts}), in alternating pairs, all in one run; the with-agent runs'
 * traces are read back (events, lost events, LOST_EVENTS markers, bytes per event) and analysed with
 * {@code tangle analyze}. Prints every run as it ends, then one summary table with the median ratio per workload.
 */
public final class LoadBenchmark {
    private static final Pattern RESULT = Pattern.compile(
            "RESULT workload=(\\S+) threads=(\\d+) seconds=([\\d.]+) ops=(\\d+) opsPerSecond=([\\d.]+)"
                    + " errors=(\\d+) cpu=([\\d.]+) agentCpu=([\\d.]+)");

    /** One workload: its main class, duration, threads, warm-up, extra JVM options and target ratio. */
    record Spec(String name, String mainClass, double seconds, int threads, double warmup, List<String> jvmArgs,
                double minRatio, String target) {
    }

    /** One child run. */
    record Run(boolean agent, double opsPerSecond, long ops, double seconds, long errors, double cpu,
               double agentCpu, TraceFacts trace, int findings, List<String> messages) {
    }

    /** What a with-agent run's trace holds. */
    record TraceFacts(long events, long lostAtEnd, long lostInMarkers, long markers, long bytes, boolean complete,
                      int threads, long leafHolds, String error) {
        long unaccounted() {
            return lostAtEnd - lostInMarkers;
        }
    }

    /** The analyser keeps every event in memory: above this many, a 3 GB heap is not enough. */
    private static final long MAX_ANALYSED_EVENTS = 40_000_000L;
    private static final int NOT_ANALYSED = -2;

    private final String java;
    private final Path benchJar;
    private final Path agentJar;
    private final Path cliJar;
    private final String agentOpts;
    private final Path work;
    private final boolean keepTraces;

    LoadBenchmark(String java, Path benchJar, Path agentJar, Path cliJar, String agentOpts, Path work,
                  boolean keepTraces) {
        this.java = java;
        this.benchJar = benchJar;
        this.agentJar = agentJar;
        this.cliJar = cliJar;
        this.agentOpts = agentOpts;
        this.work = work;
        this.keepTraces = keepTraces;
    }

    /** The servers print each second's operations to their stderr file ({@link Workload#PROGRESS_PROPERTY}). */
    private static final List<String> PROGRESS = List.of("-D" + Workload.PROGRESS_PROPERTY + "=true");

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i], args[i + 1]);
        }
        int pairs = Integer.parseInt(o.getOrDefault("--pairs", "3"));
        // Jetty on two cores, bare, was still speeding up 20 s after start in some runs (per-second rates), and
        // moves between rates 10 % apart for seconds at a time: 20 s measured after 20 s averages over more
        double jettySeconds = Double.parseDouble(o.getOrDefault("--seconds", "20"));
        double loopSeconds = Double.parseDouble(o.getOrDefault("--loop-seconds", "5"));
        // Jetty's warm-up (--seconds and --warmup were both servers' before H2 got its own): the agent adds class
        // transformation and JIT work (ByteBuddy, ASM, larger instrumented methods) that a short warm-up leaves in
        // the measured period; see benchmarks/README.md
        double jettyWarmup = Double.parseDouble(o.getOrDefault("--warmup", "20"));
        // H2 on two cores needs 15-20 s to reach its steady rate, bare, and then moves between two rates (one core's
        // worth and two cores' worth) every 5 to 30 s: a longer window averages over those moves
        double h2Warmup = Double.parseDouble(o.getOrDefault("--h2-warmup", "20"));
        double h2Seconds = Double.parseDouble(o.getOrDefault("--h2-seconds", "30"));
        List<String> only = Arrays.asList(o.getOrDefault("--workloads", "h2,jetty,lockloop").split(","));
        LoadBenchmark b = new LoadBenchmark(o.getOrDefault("--java", "java"), Path.of(o.get("--bench-jar")),
                Path.of(o.get("--agent-jar")), Path.of(o.get("--cli-jar")), o.getOrDefault("--agent-opts", ""),
                Path.of(o.getOrDefault("--work", System.getProperty("java.io.tmpdir"))),
                Boolean.parseBoolean(o.getOrDefault("--keep-traces", "false")));
        List<Spec> specs = new ArrayList<>();
        if (only.contains("h2")) {
            specs.add(new Spec("h2", "dev.tangle.load.H2Load", h2Seconds, 8, h2Warmup, PROGRESS, 0.90,
                    ">= 0.90x"));
        }
        if (only.contains("jetty")) {
            specs.add(new Spec("jetty", "dev.tangle.load.JettyLoad", jettySeconds, 8, jettyWarmup, PROGRESS, 0.90,
                    ">= 0.90x"));
        }
        if (only.contains("lockloop")) {
            specs.add(new Spec("lockloop", "dev.tangle.load.LockLoop", loopSeconds, 2, 2,
                    List.of("-XX:CompileCommand=quiet", "-XX:CompileCommand=dontinline,dev.tangle.load.LockLoop::work"),
                    0.50, "cost <= 2x (>= 0.50x)"));
        }
        System.out.println("load benchmark: " + pairs + " alternating pairs per workload (bare, agent; then agent,"
                + " bare; ...), agent options: out=<trace>" + b.agentOpts + "; h2: " + h2Warmup + " s warm-up, "
                + h2Seconds + " s measured; jetty: " + jettyWarmup + " s warm-up, " + jettySeconds
                + " s measured (each second's operations are in <workload>-<pair>-<bare|agent>.err)");
        System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " CPUs, load average "
                + loadAverage() + " (other processes compete for the CPUs: compare within a pair, not across"
                + " runs)");
        System.out.println("java: " + b.javaVersion());
        Map<Spec, List<Run[]>> all = new LinkedHashMap<>();
        for (Spec s : specs) {
            List<Run[]> results = new ArrayList<>();
            for (int p = 0; p < pairs; p++) {
                Run bare;
                Run agent;
                if (p % 2 == 0) {
                    bare = b.run(s, false, p);
                    agent = b.run(s, true, p);
                } else {
                    agent = b.run(s, true, p);
                    bare = b.run(s, false, p);
                }
                results.add(new Run[] {bare, agent});
                System.out.printf(Locale.ROOT, "  %-8s pair %d: ratio %.3f%n", s.name, p + 1,
                        agent.opsPerSecond / bare.opsPerSecond);
            }
            all.put(s, results);
        }
        boolean ok = summary(all);
        System.out.println("load average at the end: " + loadAverage());
        System.exit(ok ? 0 : 1);
    }

    private static boolean summary(Map<Spec, List<Run[]>> all) {
        System.out.println();
        System.out.println("workload  bare ops/s (median)  agent ops/s (median)  ratio (median of pairs)  target"
                + "               CPU/op ratio  errors  events/s/thread  B/event  agent-thread CPU  lost (unaccounted)  findings"
                + "  verdict");
        boolean allOk = true;
        for (Map.Entry<Spec, List<Run[]>> e : all.entrySet()) {
            Spec s = e.getKey();
            List<Run[]> pairs = e.getValue();
            double[] bare = pairs.stream().mapToDouble(p -> p[0].opsPerSecond).toArray();
            double[] agent = pairs.stream().mapToDouble(p -> p[1].opsPerSecond).toArray();
            double[] ratios = pairs.stream().mapToDouble(p -> p[1].opsPerSecond / p[0].opsPerSecond).toArray();
            // CPU time per operation, agent / bare: what the agent costs, whatever share of the CPUs the run got
            double[] cpuRatios = pairs.stream().mapToDouble(p -> (p[1].cpu / p[1].ops) / (p[0].cpu / p[0].ops))
                    .toArray();
            long errors = 0;
            long lost = 0;
            long unaccounted = 0;
            long events = 0;
            long bytes = 0;
            double agentSeconds = 0;
            double agentCpu = 0;
            double cpu = 0;
            int findings = 0;
            int notAnalysed = 0;
            boolean tracesOk = true;
            for (Run[] p : pairs) {
                errors += p[0].errors + p[1].errors;
                TraceFacts t = p[1].trace;
                if (t == null || t.error != null || !t.complete) {
                    tracesOk = false;
                } else {
                    lost += t.lostAtEnd;
                    unaccounted += t.unaccounted();
                    events += t.events;
                    bytes += t.bytes;
                }
                agentSeconds += p[1].seconds;
                agentCpu += p[1].agentCpu;
                cpu += p[1].cpu;
                findings += Math.max(0, p[1].findings);
                if (p[1].findings == NOT_ANALYSED) {
                    notAnalysed++;
                } else if (p[1].findings < 0) {
                    tracesOk = false;
                }
            }
            double ratio = median(ratios);
            boolean ok = ratio >= s.minRatio && errors == 0 && findings == 0 && unaccounted == 0 && tracesOk;
            allOk &= ok;
            // events over the whole run (warm-up included) per thread per second of the run
            double perThread = events / (agentSeconds + pairs.size() * s.warmup) / s.threads;
            System.out.printf(Locale.ROOT, "%-9s %20.1f  %20.1f  %23.3f  %-21s %12.2fx  %6d  %15.0f  %7.2f  %15.1f%%  %,d (%,d)"
                            + "  %8s  %s%n", s.name, median(bare), median(agent), ratio, s.target, median(cpuRatios), errors,
                    perThread, events == 0 ? 0.0 : (double) bytes / events, cpu == 0 ? 0 : 100 * agentCpu / cpu,
                    lost, unaccounted, findings + (notAnalysed > 0 ? " (" + notAnalysed + " not analysed)" : ""),
                    ok ? "ok" : "MISSED" + (tracesOk ? "" : " (trace unreadable or analysis failed)"));
        }
        System.out.println("ratio = agent throughput / bare throughput of the same pair; events/s/thread = trace"
                + " events / run time incl. warm-up / client threads; CPU/op ratio = (process CPU time per operation"
                + " with the agent) / (without), median of pairs: the agent's cost even when other processes take"
                + " CPU time from the run; agent-thread CPU = share of the process's CPU"
                + " time used by the agent's own threads (writer, clock) in the measured period.");
        return allOk;
    }

    private Run run(Spec s, boolean withAgent, int pair) throws Exception {
        String tag = s.name + "-" + (pair + 1) + (withAgent ? "-agent" : "-bare");
        Path trace = work.resolve(tag + ".trace");
        Files.deleteIfExists(trace);
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.add("-Xmx1g");
        cmd.addAll(s.jvmArgs);
        if (withAgent) {
            cmd.add("-javaagent:" + agentJar + "=out=" + trace + agentOpts);
        }
        cmd.add("-cp");
        cmd.add(benchJar.toString());
        cmd.add(s.mainClass);
        cmd.add(String.valueOf(s.seconds));
        cmd.add(String.valueOf(s.threads));
        cmd.add(String.valueOf(s.warmup));
        String load = loadAverage();
        Path out = work.resolve(tag + ".out");
        Path err = work.resolve(tag + ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        long limit = (long) (s.seconds + s.warmup + 120);
        if (!p.waitFor(limit, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new IllegalStateException(tag + ": did not end within " + limit + " s; see " + out + " and "
                    + err);
        }
        List<String> messages = new ArrayList<>();
        for (String line : Files.readAllLines(err)) {
            if (line.startsWith("tangle:") || line.contains("Exception") || line.contains("Error")) {
                messages.add(line);
            }
        }
        Matcher m = null;
        for (String line : Files.readAllLines(out)) {
            Matcher x = RESULT.matcher(line);
            if (x.find()) {
                m = x;
            } else if (line.startsWith("first error")) {
                messages.add(line);
            }
        }
        if (p.exitValue() != 0 || m == null) {
            throw new IllegalStateException(tag + ": exit " + p.exitValue() + ", no result; see " + out + " and "
                    + err);
        }
        TraceFacts facts = null;
        int findings = 0;
        if (withAgent) {
            facts = readTrace(trace);
            if (facts.events <= MAX_ANALYSED_EVENTS) {
                findings = analyze(trace, messages);
            } else {
                findings = NOT_ANALYSED;
                messages.add(String.format(Locale.ROOT, "not analysed: %,d events, more than the %,d that `tangle"
                        + " analyze -Xmx3g` holds in memory", facts.events, MAX_ANALYSED_EVENTS));
            }
            if (!keepTraces) {
                Files.deleteIfExists(trace);
            }
        }
        Run r = new Run(withAgent, Double.parseDouble(m.group(5)), Long.parseLong(m.group(4)),
                Double.parseDouble(m.group(3)), Long.parseLong(m.group(6)), Double.parseDouble(m.group(7)),
                Double.parseDouble(m.group(8)), facts, findings, messages);
        System.out.printf(Locale.ROOT, "%-20s %12.1f ops/s  errors %d  cpu %.1f s (agent threads %.1f s)"
                        + "  load %s%s%n", tag, r.opsPerSecond, r.errors, r.cpu, r.agentCpu, load,
                facts == null ? "" : String.format(Locale.ROOT, "%n%22s trace: %,d events (+ %,d holds counted in"
                                + " LEAF_HOLDS), %.2f B/event, lost %,d (LOST_EVENTS markers %,d, sum %,d), %s, %d"
                                + " threads; findings %s", "", facts.events, facts.leafHolds, facts.events == 0 ? 0.0 : (double) facts.bytes / facts.events,
                        facts.lostAtEnd, facts.markers, facts.lostInMarkers,
                        facts.error != null ? "UNREADABLE: " + facts.error : facts.complete ? "complete"
                                : "NO END CHUNK", facts.threads, findings == NOT_ANALYSED ? "not analysed"
                                : findings < 0 ? "(analysis failed)" : String.valueOf(findings)));
        for (String msg : messages) {
            System.out.println("                       " + msg);
        }
        return r;
    }

    private static TraceFacts readTrace(Path trace) throws IOException {
        long bytes = Files.size(trace);
        long markers = 0;
        long inMarkers = 0;
        long leafHolds = 0;
        try (TraceReader r = TraceReader.open(trace)) {
            TraceEvent e;
            while ((e = r.next()) != null) {
                if (e.kind() == EventKind.LOST_EVENTS) {
                    markers++;
                    inMarkers += e.value();
                } else if (e.kind() == EventKind.LEAF_HOLDS) {
                    leafHolds += e.value();
                }
            }
            return new TraceFacts(r.eventsRead(), r.lostEvents(), inMarkers, markers, bytes, r.isComplete(),
                    r.threadNames().size(), leafHolds, null);
        } catch (IOException | RuntimeException ex) {
            return new TraceFacts(0, 0, 0, 0, bytes, false, 0, 0, ex.toString());
        }
    }

    /** Runs {@code tangle analyze}; returns the number of findings (-1 if it failed), adding its report lines. */
    private int analyze(Path trace, List<String> messages) throws Exception {
        return analyze(java, "3g", cliJar, trace, work.resolve(trace.getFileName() + ".analysis"), messages);
    }

    /** As {@link #analyze(Path, List)}, with this heap and the report in {@code report} (also for the soak run). */
    static int analyze(String java, String heap, Path cliJar, Path trace, Path report, List<String> messages)
            throws Exception {
        Process p = new ProcessBuilder(java, "-Xmx" + heap, "-jar", cliJar.toString(), "analyze", trace.toString())
                .redirectErrorStream(true).redirectOutput(report.toFile()).start();
        if (!p.waitFor(600, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            messages.add("tangle analyze did not end within 600 s");
            return -1;
        }
        List<String> lines = Files.readAllLines(report);
        int exit = p.exitValue();
        if (exit == 0) {
            return 0;
        }
        int findings = 0;
        for (String line : lines) {
            if (line.matches("^[a-z]+\\[[A-Z_]+\\]: .*")) { // a finding's first line: severity[TYPE]: summary
                findings++;
                messages.add("analyze: " + line);
            } else if (exit != 1) {
                messages.add("analyze: " + line);
            }
        }
        messages.add("analyze: full report in " + report);
        return findings > 0 ? findings : -1; // exit 1 without a finding: the analysis itself failed
    }

    private String javaVersion() throws Exception {
        Process p = new ProcessBuilder(java, "-version").redirectErrorStream(true).start();
        String v = new String(p.getInputStream().readAllBytes()).lines().findFirst().orElse("?");
        p.waitFor();
        return v;
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
