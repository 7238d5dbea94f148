package dev.tangle.gui.app;

import dev.tangle.detect.Finding;
import dev.tangle.detect.FindingType;
import dev.tangle.gui.io.RecentFiles;
import dev.tangle.gui.live.AttachDialog;
import dev.tangle.samples.Scenario;
import javafx.scene.Scene;
import javafx.scene.control.ListView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live recordings in the main window, headless: a demo scenario run from the demo picker, and a real child JVM
 * attached to from the attach dialog, both under the real agent streaming to the viewer.
 */
@ExtendWith(ApplicationExtension.class)
class LiveRecordingTest {
    private MainWindow window;
    private Preferences prefs;
    private Process child;

    @Start
    void start(Stage stage) {
        prefs = Preferences.userRoot().node("dev/tangle/gui-live-test-" + System.nanoTime());
        window = new MainWindow(stage, new RecentFiles(prefs));
        stage.setScene(new Scene(window, 1400, 900));
        stage.show();
    }

    @AfterEach
    void cleanUp() throws BackingStoreException, InterruptedException {
        window.shutdown();
        if (child != null) {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
        prefs.removeNode();
    }

    private String status(FxRobot robot) {
        return robot.lookup("#status").queryLabeled().getText();
    }

    @Test
    void theDemoPickerRunsADeadlockScenarioLiveAndTheDeadlockAppears(FxRobot robot) throws Exception {
        List<String> statuses = new ArrayList<>();
        robot.interact(() -> robot.lookup("#status").queryLabeled().textProperty()
                .addListener((o, a, b) -> statuses.add(b)));
        robot.clickOn("Demos").clickOn("Run a Demo...");
        WaitForAsyncUtils.waitForFxEvents();
        ListView<Scenario> list = robot.lookup("#scenario-list").queryListView();
        Scenario scenario = list.getItems().stream().filter(s -> s.name().equals("deadlock-monitors")).findFirst()
                .orElseThrow();
        robot.interact(() -> {
            list.getSelectionModel().select(scenario);
            list.scrollTo(scenario);
        });
        assertThat(robot.lookup("#scenario-description").queryLabeled().getText())
                .isEqualTo(scenario.description());
        robot.clickOn("#run-demo");

        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> window.findingsPane().findings().stream()
                .anyMatch(f -> f.type() == FindingType.DEADLOCK) && window.liveSource() == null);
        WaitForAsyncUtils.waitForFxEvents();
        Finding deadlock = window.findingsPane().findings().stream().filter(f -> f.type() == FindingType.DEADLOCK)
                .findFirst().orElseThrow();
        assertThat(deadlock.threads()).containsAll(scenario.threads());
        assertThat(statuses).as("snapshots were shown while the program ran")
                .anyMatch(s -> s.startsWith("Recording demo: deadlock-monitors (buggy) (live)"));
        assertThat(status(robot)).contains("recording ended");
        assertThat(window.timeline().data().lanes()).extracting(l -> l.name()).containsAll(scenario.threads());
    }

    @Test
    void anAttachedJvmsLanesGrowWhileItRunsAndStopDetaches(FxRobot robot) throws Exception {
        String classPath = Path.of(fixtures.Ticker.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, fixtures.Ticker.class.getName()).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()));
        assertThat(out.readLine()).isEqualTo("ready");
        long pid = child.pid();

        robot.clickOn("File").clickOn("Attach to JVM...");
        WaitForAsyncUtils.waitForFxEvents();
        ListView<AttachDialog.Jvm> list = robot.lookup("#jvm-list").queryListView();
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> {
            robot.clickOn("#refresh-jvms");
            return list.getItems().stream().anyMatch(j -> j.pid() == pid);
        });
        assertThat(list.getItems()).noneMatch(j -> j.pid() == ProcessHandle.current().pid());
        AttachDialog.Jvm jvm = list.getItems().stream().filter(j -> j.pid() == pid).findFirst().orElseThrow();
        assertThat(jvm.mainClass()).isEqualTo(fixtures.Ticker.class.getName());
        robot.interact(() -> list.getSelectionModel().select(jvm));
        robot.clickOn("#start-recording");

        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> window.trace() != null
                && window.liveSource() != null);
        // the FX task that set the trace goes on to set the timeline's: let it finish before reading that
        WaitForAsyncUtils.waitForFxEvents();
        int first = window.timeline().data().lanes().size();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> window.timeline().data().lanes().size() > first + 2);
        assertThat(window.timeline().data().lanes()).extracting(l -> l.name()).contains("ticker");

        robot.clickOn("#stop-live");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> status(robot).contains("recording ended"));
        assertThat(child.isAlive()).as("detaching leaves the JVM running").isTrue();
        int atStop = window.timeline().data().lanes().size();
        Thread.sleep(1500);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.timeline().data().lanes()).as("nothing more after the stop").hasSize(atStop);
    }

    @Test
    void attachingToAProcessThatIsNoJvmShowsAnErrorDialog(FxRobot robot) throws Exception {
        child = new ProcessBuilder("sleep", "30").start();
        robot.interact(() -> window.startLive(new dev.tangle.gui.live.AttachedJvm(child.pid(), "sleep")));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#error-dialog").tryQuery().isPresent());
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.control.DialogPane pane = robot.lookup("#error-dialog").query();
        assertThat(pane.getContentText()).contains("is not a JVM that accepts attach").doesNotContain("\n");
        assertThat(window.liveSource()).isNull();
    }
}
