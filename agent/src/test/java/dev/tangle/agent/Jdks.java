package dev.tangle.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The JDKs agent tests run on: the one running the tests, and every JDK 21+ found under /usr/lib/jvm (or named
 * in TANGLE_EXTRA_JDKS, separated by ':'). With TANGLE_REQUIRE_JDK21=1 (set by CI) a missing JDK 21+ fails.
 */
public record Jdks(Path home, int feature) {
    private static final Pattern VERSION = Pattern.compile("JAVA_VERSION=\"(\\d+)");

    public Path java() {
        return home.resolve("bin").resolve("java");
    }

    @Override
    public String toString() {
        return "JDK " + feature;
    }

    public static List<Jdks> all() {
        List<Jdks> jdks = new ArrayList<>();
        Path current = Path.of(System.getProperty("java.home"));
        jdks.add(new Jdks(current, Runtime.version().feature()));
        List<Path> candidates = new ArrayList<>();
        String extra = System.getenv("TANGLE_EXTRA_JDKS");
        if (extra != null && !extra.isBlank()) {
            for (String p : extra.split(":")) {
                candidates.add(Path.of(p));
            }
        }
        try (Stream<Path> s = Files.list(Path.of("/usr/lib/jvm"))) {
            s.sorted().forEach(candidates::add);
        } catch (IOException e) {
            // no system JDK folder
        }
        boolean newer = false;
        for (Path p : candidates) {
            int f = feature(p);
            if (f >= 21 && Files.isExecutable(p.resolve("bin/java"))
                    && jdks.stream().noneMatch(j -> j.feature() == f)) {
                jdks.add(new Jdks(p, f));
            }
        }
        for (Jdks j : jdks) {
            newer |= j.feature() >= 21;
        }
        if (!newer && "1".equals(System.getenv("TANGLE_REQUIRE_JDK21"))) {
            throw new IllegalStateException("TANGLE_REQUIRE_JDK21=1 but no JDK 21+ found under /usr/lib/jvm");
        }
        return jdks;
    }

    public static List<Jdks> newer() {
        return all().stream().filter(j -> j.feature() >= 21).toList();
    }

    private static int feature(Path home) {
        try {
            Matcher m = VERSION.matcher(Files.readString(home.resolve("release")));
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
