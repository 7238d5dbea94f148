package dev.tangle.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tangle.detect.Evidence;
import dev.tangle.detect.Finding;
import dev.tangle.detect.FindingType;
import dev.tangle.detect.ResourceRef;
import dev.tangle.model.TraceSummary;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Findings as a SARIF 2.1.0 log (OASIS Static Analysis Results Interchange Format), as GitHub code scanning and
 * other CI tools read it: one run of the tool {@code Tangle}, one rule per finding type, one result per finding.
 * A result's locations are the program's own frames of its evidence (the innermost frame of each stack that is
 * not the JDK's, a test framework's or Tangle's), as source paths when the class's source file is found under
 * one of the source roots ({@code src/main/java}, {@code src/test/java}...), relative to the project folder
 * ({@code %SRCROOT%}); each thread of the finding gets a code flow with its stacks, outermost frame first.
 */
public final class SarifReport {
    static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
    static final String SRCROOT = "%SRCROOT%";
    /** Frames of these packages are not the program's: they never make a result's location. */
    private static final List<String> NOT_THE_PROGRAM = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.",
            "dev.tangle.agent.", "dev.tangle.junit.", "org.junit.", "junit.", "org.apache.maven.surefire.", "org.gradle.", "worker.org.gradle.");
    /** {@code Class.method(File:line)}, as {@link Evidence#format} writes frames. */
    private static final Pattern FRAME = Pattern.compile("^(.+)\\.([^.(]+)\\(([^:)]*)(?::(\\d+))?\\)$");

    private static final Map<FindingType, String> RULE_TEXT = Map.of(
            FindingType.DEADLOCK, "Threads each hold a lock another one waits for: none can ever continue.",
            FindingType.COMMUNICATION_DEADLOCK, "Threads wait on queues, latches, futures or pools for something"
                    + " that no thread can ever do.",
            FindingType.POTENTIAL_DEADLOCK, "Locks taken in opposite orders (a lock-order inversion): a deadlock"
                    + " under another schedule.",
            FindingType.LIVELOCK, "Threads keep running but make no progress, each failing on what the others"
                    + " hold.",
            FindingType.STARVATION, "A thread waited long for a lock that others took again and again.",
            FindingType.THREAD_LEAK, "Threads still alive at the end that keep the JVM from exiting.");

    private final Path projectDir;
    private final List<Path> sourceRoots;

    /**
     * @param projectDir  the folder source paths are relative to ({@code %SRCROOT%}), usually the repository root
     * @param sourceRoots folders of Java sources (absolute, or relative to {@code projectDir})
     */
    public SarifReport(Path projectDir, List<Path> sourceRoots) {
        this.projectDir = projectDir.toAbsolutePath().normalize();
        List<Path> roots = new ArrayList<>();
        for (Path r : sourceRoots) {
            roots.add(this.projectDir.resolve(r).normalize());
        }
        this.sourceRoots = List.copyOf(roots);
    }

    /**
     * The usual Maven and Gradle source roots that exist under {@code projectDir}: {@code src/main/java},
     * {@code src/test/java}, and the same in each module folder one level down.
     */
    public static List<Path> defaultSourceRoots(Path projectDir) {
        List<Path> roots = new ArrayList<>();
        List<Path> modules = new ArrayList<>(List.of(projectDir));
        try (var children = Files.list(projectDir)) {
            children.filter(Files::isDirectory).sorted().forEach(modules::add);
        } catch (IOException e) {
            // an unreadable folder has no modules
        }
        for (Path m : modules) {
            for (String s : List.of("src/main/java", "src/test/java")) {
                Path root = m.resolve(s);
                if (Files.isDirectory(root)) {
                    roots.add(root);
                }
            }
        }
        return roots;
    }

    public void write(Writer out, List<Finding> findings, TraceSummary trace, String version) throws IOException {
        JsonReport.mapper().writeValue(out, log(findings, trace, version));
        out.write(System.lineSeparator());
        out.flush();
    }

    ObjectNode log(List<Finding> findings, TraceSummary trace, String version) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode log = json.objectNode();
        log.put("$schema", SCHEMA);
        log.put("version", "2.1.0");
        ObjectNode run = log.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "Tangle");
        driver.put("version", version);
        ArrayNode rules = driver.putArray("rules");
        for (FindingType type : FindingType.values()) {
            ObjectNode rule = rules.addObject();
            rule.put("id", type.name());
            rule.put("name", camel(type));
            rule.putObject("shortDescription").put("text", RULE_TEXT.get(type));
            rule.putObject("defaultConfiguration").put("level",
                    type == FindingType.DEADLOCK || type == FindingType.COMMUNICATION_DEADLOCK ? "error" : "warning");
        }
        run.putObject("originalUriBaseIds").putObject(SRCROOT).put("uri", projectDir.toUri().toString());
        ArrayNode results = run.putArray("results");
        for (Finding f : findings) {
            results.add(result(f));
        }
        ObjectNode props = run.putObject("properties");
        props.put("trace", trace.source());
        props.put("events", trace.events());
        props.put("complete", trace.complete());
        return log;
    }

    private ObjectNode result(Finding f) {
        ObjectNode r = JsonNodeFactory.instance.objectNode();
        r.put("ruleId", f.type().name());
        r.put("ruleIndex", f.type().ordinal());
        r.put("level", level(f.severity().name()));
        r.putObject("message").put("text", f.summary());
        ArrayNode locations = r.putArray("locations");
        Set<String> seen = new LinkedHashSet<>();
        for (Evidence e : f.evidence()) {
            for (String frame : e.stack()) {
                Optional<ParsedFrame> p = ParsedFrame.of(frame);
                if (p.isPresent() && isProgram(p.get())) { // the innermost frame of the program per stack
                    if (seen.add(frame)) {
                        locations.add(location(p.get(), null));
                    }
                    break;
                }
            }
        }
        Map<String, List<Evidence>> byThread = new LinkedHashMap<>();
        for (String t : f.threads()) {
            byThread.put(t, new ArrayList<>());
        }
        for (Evidence e : f.evidence()) {
            byThread.computeIfAbsent(e.thread(), t -> new ArrayList<>()).add(e);
        }
        ArrayNode flows = r.putArray("codeFlows");
        byThread.forEach((thread, evidence) -> {
            ArrayNode steps = JsonNodeFactory.instance.arrayNode();
            for (Evidence e : evidence) {
                List<String> stack = e.stack();
                for (int i = stack.size() - 1; i >= 0; i--) { // outermost first: the order the thread got there
                    Optional<ParsedFrame> p = ParsedFrame.of(stack.get(i));
                    if (p.isEmpty()) {
                        continue;
                    }
                    ObjectNode step = steps.addObject();
                    step.set("location", location(p.get(), i == 0 ? e.what() : null));
                    step.put("nestingLevel", stack.size() - 1 - i);
                    if (i == 0) {
                        step.put("importance", "essential");
                    }
                }
            }
            if (steps.isEmpty()) {
                return; // no stack: SARIF wants at least one location per thread flow
            }
            ObjectNode flow = flows.addObject();
            flow.putObject("message").put("text", "thread \"" + thread + "\"");
            ObjectNode threadFlow = flow.putArray("threadFlows").addObject();
            threadFlow.put("id", thread);
            threadFlow.putObject("message").put("text", "thread \"" + thread + "\"");
            threadFlow.set("locations", steps);
        });
        if (flows.isEmpty()) {
            r.remove("codeFlows");
        }
        r.putObject("partialFingerprints").put("tangleFindingId/v1", f.id());
        ObjectNode props = r.putObject("properties");
        props.put("tangleId", f.id());
        props.put("severity", f.severity().name());
        ArrayNode threads = props.putArray("threads");
        f.threads().forEach(threads::add);
        ArrayNode resources = props.putArray("resources");
        for (ResourceRef res : f.resources()) {
            resources.add(res.label());
        }
        return r;
    }

    private ObjectNode location(ParsedFrame f, String message) {
        ObjectNode loc = JsonNodeFactory.instance.objectNode();
        sourcePath(f).ifPresent(path -> {
            ObjectNode physical = loc.putObject("physicalLocation");
            ObjectNode artifact = physical.putObject("artifactLocation");
            artifact.put("uri", path);
            artifact.put("uriBaseId", SRCROOT);
            if (f.line() > 0) {
                physical.putObject("region").put("startLine", f.line());
            }
        });
        ObjectNode logical = loc.putArray("logicalLocations").addObject();
        logical.put("fullyQualifiedName", f.className() + "." + f.method());
        logical.put("kind", "function");
        if (message != null) {
            loc.putObject("message").put("text", message);
        }
        return loc;
    }

    /** The frame's source file under a source root, as a URI path relative to the project folder. */
    Optional<String> sourcePath(ParsedFrame f) {
        if (f.file().isEmpty() || f.file().equals("Unknown Source")) {
            return Optional.empty();
        }
        int dot = f.className().lastIndexOf('.');
        String dir = dot < 0 ? "" : f.className().substring(0, dot).replace('.', '/') + "/";
        for (Path root : sourceRoots) {
            Path file = root.resolve(dir + f.file());
            if (Files.isRegularFile(file)) {
                Path relative = file.startsWith(projectDir) ? projectDir.relativize(file) : file;
                return Optional.of(relative.toString().replace('\\', '/'));
            }
        }
        return Optional.empty();
    }

    static boolean isProgram(ParsedFrame f) {
        return NOT_THE_PROGRAM.stream().noneMatch(f.className()::startsWith);
    }

    static String level(String severity) {
        return switch (severity) {
            case "ERROR" -> "error";
            case "WARNING" -> "warning";
            default -> "note";
        };
    }

    private static String camel(FindingType type) {
        StringBuilder b = new StringBuilder();
        for (String part : type.name().toLowerCase(Locale.ROOT).split("_")) {
            b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return b.toString();
    }

    /** A frame as {@link Evidence#format} wrote it. */
    record ParsedFrame(String className, String method, String file, int line) {
        static Optional<ParsedFrame> of(String text) {
            Matcher m = FRAME.matcher(text);
            if (!m.matches()) {
                return Optional.empty();
            }
            return Optional.of(new ParsedFrame(m.group(1), m.group(2), m.group(3),
                    m.group(4) == null ? -1 : Integer.parseInt(m.group(4))));
        }
    }
}
