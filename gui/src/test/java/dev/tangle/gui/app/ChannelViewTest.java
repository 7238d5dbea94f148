package dev.tangle.gui.app;

import dev.tangle.gui.RecordedTraces;
import dev.tangle.gui.io.RecentFiles;
import dev.tangle.gui.timeline.TimelineView;
import dev.tangle.gui.timeline.model.ChannelMarks;
import dev.tangle.model.BlockReason;
import dev.tangle.model.Causality;
import dev.tangle.model.Operation;
import dev.tangle.model.OperationKind;
import dev.tangle.model.StateInterval;
import dev.tangle.model.ThreadInfo;
import dev.tangle.model.TraceModel;
import javafx.geometry.Point2D;
import javafx.scene.Scene;
import javafx.scene.image.WritableImage;
import javafx.scene.input.MouseButton;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Channel markers and causality on a real recording of fixtures.HandOffChannel ("consumer" waits in take() until
 * "producer" puts; three items pass through an ArrayBlockingQueue of capacity 1).
 */
@ExtendWith(ApplicationExtension.class)
class ChannelViewTest {
    private MainWindow window;
    private Preferences prefs;

    @Start
    void start(Stage stage) {
        prefs = Preferences.userRoot().node("dev/tangle/gui-channel-test-" + System.nanoTime());
        window = new MainWindow(stage, new RecentFiles(prefs));
        stage.setScene(new Scene(window, 1400, 900));
        stage.show();
    }

    @AfterEach
    void forget() throws BackingStoreException {
        prefs.removeNode();
    }

    private TraceModel open(FxRobot robot) throws Exception {
        var file = RecordedTraces.handOffChannel();
        robot.interact(() -> window.open(file));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !window.isLoading());
        WaitForAsyncUtils.waitForFxEvents();
        return window.trace().model();
    }

    private static long threadId(TraceModel model, String name) {
        return model.threads().stream().filter(t -> name.equals(t.name())).mapToLong(ThreadInfo::id).findFirst()
                .orElseThrow();
    }

    @Test
    void sendsAndReceivesAreMarkedOnTheirLanes(FxRobot robot) throws Exception {
        TraceModel model = open(robot);
        long producer = threadId(model, "producer");
        long consumer = threadId(model, "consumer");
        TimelineView tl = window.timeline();
        List<Operation> puts = model.operationsBy(producer).stream().filter(o -> o.kind() == OperationKind.SEND)
                .toList();
        assertThat(puts).hasSize(3);

        int[] sends = tl.markColumns(producer, ChannelMarks.Kind.SEND);
        int[] receives = tl.markColumns(consumer, ChannelMarks.Kind.RECEIVE);
        assertThat(sends).hasSize(3); // 20 ms apart: three columns at "fit all"
        assertThat(receives).hasSize(3);
        assertThat(tl.markColumns(producer, ChannelMarks.Kind.RECEIVE)).isEmpty();
        assertThat(tl.markColumns(consumer, ChannelMarks.Kind.SEND)).isEmpty();
        assertThat(sends[0]).isEqualTo((int) Math.floor(tl.viewport().xOf(puts.get(0).end(), lanesWidth(tl))));

        // drawn: the send tick's colour at the top of the producer's lane, the receive tick's at the consumer's bottom
        WritableImage shot = WaitForAsyncUtils.asyncFx(() -> {
            tl.redraw();
            return tl.canvas().snapshot(null, null);
        }).get();
        int producerTop = (int) (TimelineView.RULER_HEIGHT + window.timeline().data().rowOf(producer)
                * (double) TimelineView.ROW_HEIGHT);
        int consumerTop = (int) (TimelineView.RULER_HEIGHT + window.timeline().data().rowOf(consumer)
                * (double) TimelineView.ROW_HEIGHT);
        Color send = shot.getPixelReader().getColor((int) TimelineView.LABEL_WIDTH + sends[0], producerTop + 3);
        Color receive = shot.getPixelReader().getColor((int) TimelineView.LABEL_WIDTH + receives[0],
                consumerTop + TimelineView.ROW_HEIGHT - 3);
        assertThat(send.toString()).isEqualTo(Color.web("#6d28d9").toString());
        assertThat(receive.toString()).isEqualTo(Color.web("#0e7490").toString());
    }

    private static int lanesWidth(TimelineView tl) {
        return (int) Math.max(1, tl.canvas().getWidth() - TimelineView.LABEL_WIDTH);
    }

    @Test
    void aReceiveThatWaitedShowsTheQueueAndTheArrowFromTheSender(FxRobot robot) throws Exception {
        TraceModel model = open(robot);
        long producer = threadId(model, "producer");
        long consumer = threadId(model, "consumer");
        StateInterval wait = model.states(consumer).stream()
                .filter(s -> s.reason() == BlockReason.CHANNEL_RECEIVE).findFirst().orElseThrow();
        Operation firstPut = model.operationsBy(producer).stream().filter(o -> o.kind() == OperationKind.SEND)
                .findFirst().orElseThrow();

        Causality.Link woke = Causality.waker(model, wait);
        assertThat(woke).isNotNull();
        assertThat(woke.fromThread()).isEqualTo(producer);
        assertThat(woke.toThread()).isEqualTo(consumer);
        assertThat(woke.fromTime()).isBetween(firstPut.start(), firstPut.end());
        assertThat(woke.label()).isEqualTo("sent by producer (put())");

        Point2D p = WaitForAsyncUtils.asyncFx(() -> window.timeline().screenPointOf(consumer,
                (wait.start() + wait.end()) / 2.0)).get();
        robot.clickOn(p);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.timeline().selectedProperty().get().reason()).isEqualTo(BlockReason.CHANNEL_RECEIVE);
        String waitText = Causality.waitText(model, window.timeline().selectedProperty().get());
        assertThat(waitText).startsWith("waiting in take() on ArrayBlockingQueue@")
                .endsWith(", capacity 1)");
        assertThat(window.timeline().describe(wait)).contains(waitText);

        robot.clickOn(p, MouseButton.SECONDARY);
        robot.clickOn("#go-to-waker");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.timeline().selectedProperty().get().threadId()).isEqualTo(producer);
        assertThat(window.detailsPane().titleText()).startsWith("producer: ");
    }
}
