package dev.tangle.gui.app;

import dev.tangle.detect.Finding;
import dev.tangle.detect.FindingType;
import dev.tangle.gui.timeline.TimelineView;
import dev.tangle.gui.timeline.model.StateCategory;
import dev.tangle.gui.timeline.model.StatePalette;
import dev.tangle.gui.io.RecentFiles;
import dev.tangle.model.ThreadInfo;
import dev.tangle.model.TraceModel;
import dev.tangle.gui.RecordedTraces;
import javafx.geometry.Point2D;
import javafx.scene.Scene;
import javafx.scene.control.CheckBox;
import javafx.scene.control.DialogPane;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The main window, headless (Monocle), on a real recording: PrintSumDeadlock run under the agent in a child JVM.
 */
@ExtendWith(ApplicationExtension.class)
class MainWindowTest {
    private static final String AB = "printSum(a, b)";
    private static final String BA = "printSum(b, a)";

    @TempDir
    static Path dir;
    private static Path trace;

    private MainWindow window;
    private Preferences prefs;

    @BeforeAll
    static void record() throws IOException, InterruptedException {
        trace = RecordedTraces.printSumDeadlock();
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

    private void openAndWait(FxRobot robot, Path file) throws TimeoutException {
        robot.interact(() -> window.open(file));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !window.isLoading());
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static long threadId(TraceModel model, String name) {
        return model.threads().stream().filter(t -> name.equals(t.name())).mapToLong(ThreadInfo::id).findFirst()
                .orElseThrow(() -> new AssertionError("no thread " + name));
    }

    @Test
    void opensARecordedTraceWithALanePerThread(FxRobot robot) throws TimeoutException {
        openAndWait(robot, trace);

        TraceModel model = window.trace().model();
        assertThat(window.timeline().data().lanes()).extracting(l -> l.name())
                .containsExactlyElementsOf(model.threads().stream().map(t -> model.threadName(t.id())).toList())
                .contains("main", AB, BA);
        // the deadlocked workers are drawn blocked at the end, main as terminated
        TimelineView tl = window.timeline();
        double nearEnd = model.endTime() - 1;
        assertThat(tl.drawnColourAt(threadId(model, AB), nearEnd))
                .isEqualTo(StatePalette.argb(StateCategory.BLOCKED));
        assertThat(tl.drawnColourAt(threadId(model, BA), nearEnd))
                .isEqualTo(StatePalette.argb(StateCategory.BLOCKED));
        assertThat(tl.drawnColourAt(threadId(model, "main"), nearEnd))
                .isEqualTo(StatePalette.argb(StateCategory.TERMINATED));
        assertThat(robot.lookup("#status").queryLabeled().getText()).contains("4 threads", "1 finding");
    }

    @Test
    void selectingTheDeadlockHighlightsItsThreadsAndShowsTheCycleAndTheCoffmanConditions(FxRobot robot)
            throws Exception {
        openAndWait(robot, trace);
        TraceModel model = window.trace().model();
        Finding deadlock = window.findingsPane().findings().stream().filter(f -> f.type() == FindingType.DEADLOCK)
                .findFirst().orElseThrow();
        robot.interact(() -> window.findingsPane().select(null));
        assertThat(window.timeline().highlightedProperty().get()).isEmpty();

        robot.clickOn(robot.lookup("#findings-list .list-cell").nth(0).queryAs(javafx.scene.Node.class));
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(window.timeline().highlightedProperty().get())
                .containsExactlyInAnyOrder(threadId(model, AB), threadId(model, BA));
        // the wait-for graph at the finding's time: the two threads and the two Values, all red
        assertThat(window.timeline().cursorTimeProperty().get()).isEqualTo((double) deadlock.time());
        List<String> cycle = window.waitForView().graph().cycleLabels();
        assertThat(cycle).contains(AB, BA);
        assertThat(cycle.stream().filter(l -> l.startsWith("Value@"))).hasSize(2);
        assertThat(robot.lookup("#wait-for-graph .cycle").queryAll()).hasSize(4);
        // the four Coffman conditions, all ticked, each with its evidence
        List<CheckBox> boxes = robot.lookup("#coffman .check-box").queryAllAs(CheckBox.class).stream().toList();
        assertThat(boxes).extracting(CheckBox::getText).containsExactly("Mutual exclusion", "Hold and wait",
                "No preemption", "Circular wait");
        assertThat(boxes).allMatch(CheckBox::isSelected);
        assertThat(robot.lookup("#finding-evidence").queryTextInputControl().getText())
                .contains("at dev.tangle.samples.deadlock.PrintSumDeadlock.printSum(PrintSumDeadlock.java:");

        // scrubbing the cursor back to before the workers blocked: the graph has no cycle any more
        double early = window.trace().timeline().startTime() + 1;
        Point2D handle = WaitForAsyncUtils.asyncFx(() -> window.timeline().rulerPointOf(deadlock.time())).get();
        Point2D target = WaitForAsyncUtils.asyncFx(() -> window.timeline().rulerPointOf(early)).get();
        robot.drag(handle, MouseButton.PRIMARY).dropTo(target);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.timeline().cursorTimeProperty().get()).isLessThan(deadlock.time() - 1e6);
        assertThat(window.waitForView().graph().cycleLabels()).isEmpty();
    }

    @Test
    void aNoteIsCountedApartAndSaysWhatKeptItsOrdersApart(FxRobot robot) throws Exception {
        openAndWait(robot, RecordedTraces.oneThreadInversion());
        assertThat(window.findingsPane().findings()).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(dev.tangle.detect.Severity.NOTE);
            assertThat(f.type()).isEqualTo(FindingType.POTENTIAL_DEADLOCK);
        });
        assertThat(robot.lookup("#status").queryLabeled().getText()).contains("0 findings, 1 note");

        robot.clickOn(robot.lookup("#findings-list .list-cell").nth(0).queryAs(javafx.scene.Node.class));
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(robot.lookup("#finding-title").queryLabeled().getText())
                .startsWith("POTENTIAL_DEADLOCK (note): Lock-order inversion that this run kept apart");
        assertThat(robot.lookup(".label").queryAllAs(javafx.scene.control.Labeled.class))
                .extracting(javafx.scene.control.Labeled::getText)
                .contains("Kept apart in this run by: sameThread (it can hang only where these paths overlap)");
        // the lock-order tab: no red inversion, the note named in the title
        assertThat(robot.lookup("#lock-order-title").queryLabeled().getText())
                .contains("no inversion; 1 inversion this run kept apart (notes: ", "by \"worker\"", "(sameThread)");
    }

    @Test
    void clickingABlockedLaneShowsTheStateTheLockAndTheStack(FxRobot robot) throws Exception {
        openAndWait(robot, trace);
        TraceModel model = window.trace().model();
        long ab = threadId(model, AB);
        Point2D p = WaitForAsyncUtils.asyncFx(() -> window.timeline().screenPointOf(ab, model.endTime() * 0.97))
                .get();

        robot.clickOn(p);
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(window.timeline().selectedProperty().get()).isNotNull();
        assertThat(window.timeline().selectedProperty().get().threadId()).isEqualTo(ab);
        assertThat(window.detailsPane().titleText()).isEqualTo(AB + ": blocked");
        assertThat(window.detailsPane().stackLines()).isNotEmpty()
                .anyMatch(l -> l.startsWith("dev.tangle.samples.deadlock.PrintSumDeadlock.printSum(PrintSumDeadlock.java:"));
    }

    @Test
    void goToTheThreadThatUnblockedThisSelectsTheReleasingThread(FxRobot robot) throws Exception {
        openAndWait(robot, RecordedTraces.handOver());
        TraceModel model = window.trace().model();
        long waiter = threadId(model, "waiter");
        long holder = threadId(model, "holder");
        var blocked = model.states(waiter).stream()
                .filter(s -> s.state() == dev.tangle.model.ThreadState.BLOCKED).findFirst().orElseThrow();
        Point2D p = WaitForAsyncUtils.asyncFx(() -> window.timeline().screenPointOf(waiter,
                (blocked.start() + blocked.end()) / 2.0)).get();

        robot.clickOn(p, MouseButton.SECONDARY);
        robot.clickOn("#go-to-waker");
        WaitForAsyncUtils.waitForFxEvents();

        var selected = window.timeline().selectedProperty().get();
        assertThat(selected.threadId()).isEqualTo(holder);
        // what the holder did just before it let go of the monitor
        long release = model.holds(blocked.resource()).stream().filter(h -> h.threadId() == holder)
                .findFirst().orElseThrow().end();
        assertThat(selected.contains(release - 1)).isTrue();
        assertThat(window.detailsPane().titleText()).startsWith("holder: ");
    }

    @Test
    void aCorruptFileOpensAnErrorDialogNamingTheProblem(FxRobot robot) throws IOException, TimeoutException {
        Path bad = dir.resolve("corrupt.trace");
        Files.write(bad, "this is not a trace at all, just some text".getBytes());

        openAndWait(robot, bad);

        DialogPane dialog = robot.lookup("#error-dialog").queryAs(DialogPane.class);
        assertThat(dialog.getHeaderText()).isEqualTo("Cannot open corrupt.trace");
        assertThat(dialog.getContentText()).contains("corrupt.trace").contains("not a Tangle trace");
        assertThat(window.trace()).isNull();
        robot.interact(() -> dialog.getScene().getWindow().hide());
    }

    @Test
    void aLoadCanBeCancelled(FxRobot robot) throws TimeoutException {
        robot.interact(() -> {
            window.open(trace);
            window.cancelLoading();
        });
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !window.isLoading());
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(window.trace()).isNull();
        assertThat(robot.lookup("#status").queryLabeled().getText()).isEqualTo("Loading printsum.trace cancelled");
        assertThat(robot.lookup("#error-dialog").tryQuery()).isEmpty();
    }

    @Test
    void zoomAndPanChangeTheVisibleRangeAndUndoRestoresIt(FxRobot robot) throws TimeoutException {
        openAndWait(robot, trace);
        var view = window.timeline().viewport();
        TraceModel model = window.trace().model();
        robot.clickOn(window.timeline().screenPointOf(threadId(model, "main"), model.endTime() / 2.0));
        double span0 = view.span();
        double start0 = view.start();

        robot.type(KeyCode.W);
        double span1 = view.span();
        assertThat(span1).isLessThan(span0 * 0.9);

        robot.type(KeyCode.D);
        assertThat(view.start()).isGreaterThan(start0);
        assertThat(view.span()).isCloseTo(span1, org.assertj.core.data.Offset.offset(span1 * 1e-9));

        // drag on the ruler from 30 % to 60 % of the trace: that range is shown
        double a = view.start() + view.span() * 0.3;
        double b = view.start() + view.span() * 0.6;
        Point2D from = window.timeline().rulerPointOf(a);
        Point2D to = window.timeline().rulerPointOf(b);
        robot.drag(from, MouseButton.PRIMARY).dropTo(to);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(view.start()).isCloseTo(a, org.assertj.core.data.Offset.offset(view.span() * 0.02));
        assertThat(view.end()).isCloseTo(b, org.assertj.core.data.Offset.offset(view.span() * 0.02));

        robot.press(KeyCode.CONTROL).type(KeyCode.Z).release(KeyCode.CONTROL);
        robot.type(KeyCode.BACK_SPACE, 2);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(view.start()).isCloseTo(start0, org.assertj.core.data.Offset.offset(span0 * 1e-9));
        assertThat(view.span()).isCloseTo(span0, org.assertj.core.data.Offset.offset(span0 * 1e-9));
    }

    @Test
    void exportsTheFindingsAsJsonAndTheTimelineAsPng(FxRobot robot) throws Exception {
        openAndWait(robot, trace);
        Path json = dir.resolve("findings.json");
        Path png = dir.resolve("timeline.png");

        dev.tangle.gui.io.Export.json(window.trace().findings(), window.trace().model().summary(), json);
        robot.interact(() -> {
            try {
                window.exportPng(png);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });

        Map<?, ?> root = dev.tangle.report.JsonReport.mapper().readValue(json.toFile(), Map.class);
        List<Object> types = ((List<?>) root.get("findings")).stream().map(f -> ((Map<?, ?>) f).get("type"))
                .collect(Collectors.toList());
        assertThat(types).containsExactly("DEADLOCK");
        var image = javax.imageio.ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo((int) window.timeline().canvas().getWidth());
        assertThat(image.getHeight()).isEqualTo((int) window.timeline().canvas().getHeight());
    }
}
