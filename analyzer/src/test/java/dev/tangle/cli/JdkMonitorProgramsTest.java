package dev.tangle.cli;

import dev.tangle.detect.Detectors;
import dev.tangle.detect.Evidence;
import dev.tangle.detect.Finding;
import dev.tangle.detect.FindingType;
import dev.tangle.detect.Severity;
import dev.tangle.model.ModelBuilder;
import dev.tangle.programs.JdkMapsCrossing;
import dev.tangle.programs.Log4jReentrantDeadlock;
import dev.tangle.trace.EventFlags;
import dev.tangle.trace.TraceEvent;
import dev.tangle.trace.TraceReader;
import org.apache.log4j.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.DataInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Programs that lock through JDK classes and through a library compiled for Java 1.4, recorded under the real
 * agent in a child JVM, then analysed: the monitors of Hashtable and the synchronized wrappers, the synchronized
 * methods of pre-Java-5 class files, and the stack of a nested request at the line of its outer call.
 */
class JdkMonitorProgramsTest {
    @TempDir
    Path dir;

    private List<Finding> findings(Class<?> program, List<Class<?>> libraries, String... args) throws Exception {
        return Detectors.analyze(ModelBuilder.build(RecordedProgramsTest.record(dir, program, libraries, args)));
    }

    private static List<Finding> aboveNote(List<Finding> findings) {
        return findings.stream().filter(f -> f.severity() == Severity.ERROR || f.severity() == Severity.WARNING)
                .toList();
    }

    @Test
    void synchronizedMapsCrossingEqualsAreOneDeadlock() throws Exception {
        assertThat(findings(JdkMapsCrossing.class, List.of(), "synchronizedMap", "crossing")).singleElement()
                .satisfies(f -> {
                    assertThat(f.type()).isEqualTo(FindingType.DEADLOCK);
                    assertThat(f.threads()).containsExactlyInAnyOrder("equals(a, b)", "equals(b, a)");
                    assertThat(f.resources()).hasSize(2).allSatisfy(r -> assertThat(r.className())
                            .isEqualTo("java.util.Collections$SynchronizedMap"));
                    // each waits in size or get (AbstractMap.equals calls both on the other map, and which one the
                    // threads cross in depends on timing), called by equals, called by the program
                    assertThat(f.evidence()).anySatisfy(e -> {
                        assertThat(e.stack()).first().asString()
                                .matches("java\\.util\\.Collections\\$SynchronizedMap\\.(size|get)\\(.*");
                        assertThat(e.stack()).anyMatch(s -> s.startsWith("java.util.AbstractMap.equals("));
                    });
                    assertThat(f.evidence()).anySatisfy(e -> assertThat(e.stack()).anyMatch(s -> s.startsWith(
                            "dev.tangle.programs.JdkMapsCrossing.lambda$main$")));
                });
    }

    /**
     * JDK-6582568. Hashtable's methods are synchronized and keep their flag when retransformed: each thread's
     * hold comes from the agent (acquired, no request), its blocked entry into the other table from the stall
     * watcher (the JVM's stack).
     */
    @Test
    void hashtablesCrossingEqualsAreOneDeadlock() throws Exception {
        assertThat(findings(JdkMapsCrossing.class, List.of(), "hashtable", "crossing")).singleElement()
                .satisfies(f -> {
                    assertThat(f.type()).isEqualTo(FindingType.DEADLOCK);
                    assertThat(f.threads()).containsExactlyInAnyOrder("equals(a, b)", "equals(b, a)");
                    assertThat(f.resources()).hasSize(2).allSatisfy(r -> assertThat(r.className())
                            .isEqualTo("java.util.Hashtable"));
                    assertThat(f.evidence()).filteredOn(e -> e.what().contains(" holds ")).hasSize(2)
                            .allSatisfy(e -> assertThat(e.stack().get(0))
                                    .startsWith("java.util.Hashtable.equals("));
                    assertThat(f.evidence()).filteredOn(e -> e.what().contains(" waits for ")).hasSize(2)
                            .allSatisfy(e -> assertThat(e.stack()).anyMatch(s -> s.startsWith(
                                    "dev.tangle.programs.JdkMapsCrossing.lambda$main$")));
                });
    }

    /** The same two calls one after the other: this run cannot hang, another one can. */
    @ParameterizedTest
    @ValueSource(strings = {"hashtable", "synchronizedMap"})
    void mapsComparedFromBothSidesOneAfterTheOtherAreAnOrderedPotentialDeadlock(String map) throws Exception {
        assertThat(findings(JdkMapsCrossing.class, List.of(), map, "sequential")).singleElement()
                .satisfies(f -> {
                    assertThat(f.type()).isEqualTo(FindingType.POTENTIAL_DEADLOCK);
                    assertThat(f.severity()).isEqualTo(Severity.NOTE);
                    assertThat(f.threads()).containsExactlyInAnyOrder("equals(a, b)", "equals(b, a)");
                    assertThat(f.details()).containsEntry("orderedBy", "join");
                });
    }

    @Test
    void synchronizedMapsComparedInTheSameOrderGiveNothingAboveNote() throws Exception {
        assertThat(aboveNote(findings(JdkMapsCrossing.class, List.of(), "synchronizedMap", "sameOrder")))
                .isEmpty();
    }

    @Test
    void hashtablesComparedInTheSameOrderGiveNothingAboveNote() throws Exception {
        assertThat(aboveNote(findings(JdkMapsCrossing.class, List.of(), "hashtable", "sameOrder"))).isEmpty();
    }

    @Test
    void log4jIsCompiledForJava14() throws Exception {
        for (String c : List.of("org/apache/log4j/Category.class", "org/apache/log4j/AppenderSkeleton.class")) {
            try (InputStream in = Logger.class.getClassLoader().getResourceAsStream(c)) {
                DataInputStream data = new DataInputStream(in);
                assertThat(data.readInt()).isEqualTo(0xCAFEBABE);
                data.readUnsignedShort(); // minor
                assertThat(data.readUnsignedShort()).as(c + " major version").isLessThan(49);
            }
        }
    }

    /**
     * log4j bug 41214 through AppenderSkeleton.doAppend, a synchronized method of a Java 1.4 class file: the
     * thread waiting to enter it is seen requesting it, and the thread whose toString() logs is reported waiting
     * with the stack of the nested call, not the outer one at the same line.
     */
    @Test
    void log4jLoggingFromToStringUnderItsLockIsOneDeadlockWithTheNestedStack() throws Exception {
        Path trace = RecordedProgramsTest.record(dir, Log4jReentrantDeadlock.class, List.of(Logger.class));
        List<Finding> findings = Detectors.analyze(ModelBuilder.build(trace));
        assertThat(aboveNote(findings)).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FindingType.DEADLOCK);
            assertThat(f.threads()).containsExactlyInAnyOrder("log(one)", "log(two)");
            assertThat(f.resources()).extracting(r -> r.className()).containsExactlyInAnyOrder(
                    "org.apache.log4j.WriterAppender", "org.apache.log4j.Logger");
            Evidence nested = f.evidence().stream().filter(e -> e.thread().equals("log(one)")
                    && e.stack().get(0).startsWith("org.apache.log4j.Category.callAppenders(")
                    && e.what().contains("waits")).findFirst().orElseThrow(() -> new AssertionError(f.evidence()));
            // the stack where it is stuck: inside Report.toString, under doAppend
            assertThat(nested.stack()).anyMatch(s -> s.startsWith(
                    "dev.tangle.programs.Log4jReentrantDeadlock$Report.toString("));
            assertThat(nested.stack()).anyMatch(s -> s.startsWith("org.apache.log4j.AppenderSkeleton.doAppend("));
        });
        // the synchronized method of the pre-49 class is requested (by its hook, not only seen by the stall
        // watcher) before the thread blocks on it
        List<TraceEvent> events = new ArrayList<>();
        TraceReader reader = TraceReader.open(trace);
        for (TraceEvent e; (e = reader.next()) != null; ) {
            events.add(e);
        }
        reader.close();
        long two = reader.threadNames().entrySet().stream().filter(e -> e.getValue().equals("log(two)"))
                .findFirst().orElseThrow().getKey();
        assertThat(events.stream().filter(e -> e.threadId() == two && (e.flags() & EventFlags.WATCHED) == 0
                        && e.object() != null
                        && e.object().className().equals("org.apache.log4j.WriterAppender"))
                .map(e -> e.kind() + " " + e.site().className() + "." + e.site().methodName()))
                .containsExactly("MONITOR_REQUEST org.apache.log4j.AppenderSkeleton.doAppend");
    }

    @Test
    void log4jWithAToStringThatDoesNotLogGivesNothingAboveNote() throws Exception {
        assertThat(aboveNote(findings(Log4jReentrantDeadlock.class, List.of(Logger.class), "quiet"))).isEmpty();
    }
}
