package dev.tangle.gui.app;

import dev.tangle.detect.Finding;
import dev.tangle.detect.FindingType;
import dev.tangle.gui.io.RecentFiles;
import fixtures.MonitorDeadlockUntilKilled;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The viewer opens a {@code jstack -l} dump and a JFR recording of a JVM in a monitor deadlock (a child JVM, dumped
 * with the JDK's own tools), finds the deadlock in each, and says above the timeline what they cannot show.
 */
@ExtendWith(ApplicationExtension.class)
class ImportedEvidenceViewTest {
    private static Path dump;
    private static Path recording;
    private static Process child;

    private MainWindow window;
    private Preferences prefs;

    @BeforeAll
    static void dumpADeadlockedJvm() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("tangle-gui-import");
        Path bin = Path.of(System.getProperty("java.home"), "bin");
        String classPath = Path.of(MonitorDeadlockUntilKilled.class.getProtectionDomain().getCodeSource()
                .getLocation().getPath()).toString();
        child = new ProcessBuilder(bin.resolve("java").toString(), "-XX:StartFlightRecording:name=t",
                "-cp", classPath, MonitorDeadlockUntilKilled.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()));
        String line;
        while ((line = out.readLine()) != null && !line.equals("ready")) {
            // JFR's start-up lines
        }
        assertThat(line).isEqualTo("ready");
        dump = dir.resolve("deadlock.txt");
        run(new ProcessBuilder(bin.resolve("jstack").toString(), "-l", Long.toString(child.pid()))
                .redirectOutput(dump.toFile()));
        recording = dir.resolve("deadlock.jfr");
        run(new ProcessBuilder(bin.resolve("jcmd").toString(), Long.toString(child.pid()), "JFR.dump", "name=t",
                "filename=" + recording).redirectOutput(ProcessBuilder.Redirect.DISCARD));
    }

    private static void run(ProcessBuilder tool) throws IOException, InterruptedException {
        Process p = tool.redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
    }

    @AfterAll
    static void killChild() throws InterruptedException {
        child.destroyForcibly();
        child.waitFor(10, TimeUnit.SECONDS);
    }

    @Start
    void start(Stage stage) {
        prefs = Preferences.userRoot().node("dev/tangle/gui-test-" + System.nanoTime());
        window = new MainWindow(stage, new RecentFiles(prefs));
        stage.setScene(new Scene(window, 1400, 900));
        stage.show();
    }

    @AfterEach
    void forgetRecentFiles() throws BackingStoreException {
        prefs.removeNode();
    }

    @Test
    void opensAJstackDumpAndAJfrRecordingAndFindsTheDeadlockInEach(FxRobot robot) throws TimeoutException {
        for (Path file : List.of(dump, recording)) {
            robot.interact(() -> window.open(file));
            WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !window.isLoading() && window.trace() != null
                    && window.trace().file().equals(file));
            WaitForAsyncUtils.waitForFxEvents();

            List<Finding> findings = window.trace().findings();
            assertThat(findings).as(file.toString()).extracting(Finding::type).containsExactly(FindingType.DEADLOCK);
            assertThat(findings.get(0).threads()).containsExactlyInAnyOrder("ab", "ba");
            assertThat(window.trace().model().threads()).anyMatch(t -> t.name().equals("ab"));
            Label limits = robot.lookup("#limits").queryAs(Label.class);
            assertThat(limits.isVisible()).isTrue();
            assertThat(limits.getText()).contains(file == dump ? "thread dump" : "JFR recording")
                    .contains(file == dump ? "owners:" : "thresholds:");
        }
    }
}
