package dev.tangle.gui.details;

import dev.tangle.detect.Evidence;
import dev.tangle.gui.timeline.model.StateCategory;
import dev.tangle.gui.timeline.model.TimeAxis;
import dev.tangle.model.Causality;
import dev.tangle.model.StateInterval;
import dev.tangle.model.TraceModel;
import dev.tangle.trace.Frame;
import javafx.geometry.Insets;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;

import java.util.ArrayList;
import java.util.List;

/** What the selected interval was: thread, state, resource, times, who it waited for, and its stack (file:line). */
public final class DetailsPane extends VBox {
    private final GridPane facts = new GridPane();
    private final ListView<String> stack = new ListView<>();
    private final Label title = new Label("Nothing selected");
    private final Hyperlink waker = new Hyperlink("Go to the thread that unblocked this");
    private Runnable goToWaker = () -> { };

    public DetailsPane() {
        super(6);
        setId("details");
        setPadding(new Insets(8));
        title.setFont(Font.font("System", FontWeight.BOLD, 13));
        title.setWrapText(true);
        facts.setHgap(10);
        facts.setVgap(3);
        // names as wide as they need, values take the rest and wrap (a long resource or wait stays readable)
        javafx.scene.layout.ColumnConstraints names = new javafx.scene.layout.ColumnConstraints();
        names.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        javafx.scene.layout.ColumnConstraints values = new javafx.scene.layout.ColumnConstraints();
        values.setHgrow(Priority.ALWAYS);
        values.setMinWidth(0);
        facts.getColumnConstraints().setAll(names, values);
        facts.setMinWidth(0);
        stack.setId("details-stack");
        stack.setCellFactory(v -> new javafx.scene.control.ListCell<>() {
            {
                setWrapText(true);
                setPrefWidth(0); // wrap inside the list instead of scrolling sideways
            }

            @Override
            protected void updateItem(String frame, boolean empty) {
                super.updateItem(frame, empty);
                setText(empty ? null : frame);
            }
        });
        stack.setPlaceholder(new Label("Click a lane to see what the thread was doing"));
        VBox.setVgrow(stack, Priority.ALWAYS);
        waker.setOnAction(e -> goToWaker.run());
        waker.setVisible(false);
        waker.setManaged(false);
        getChildren().addAll(title, facts, waker, new Label("Stack (innermost first)"), stack);
    }

    public void setOnGoToWaker(Runnable action) {
        goToWaker = action;
    }

    public void show(TraceModel model, StateInterval s) {
        facts.getChildren().clear();
        stack.getItems().clear();
        waker.setVisible(false);
        waker.setManaged(false);
        if (s == null || model == null) {
            title.setText("Nothing selected");
            return;
        }
        StateCategory c = StateCategory.of(s.state(), s.reason());
        title.setText(model.threadName(s.threadId()) + ": " + c.label());
        int row = 0;
        row = fact(row, "Thread", model.thread(s.threadId()).map(t -> t.label()).orElse("#" + s.threadId()));
        row = fact(row, "State", s.state() + (s.reason().name().equals("NONE") ? "" : " (" + s.reason() + ")"));
        if (s.resource() != 0) {
            row = fact(row, s.reason().resourceIsThread() ? "Thread" : "Resource",
                    s.reason().resourceIsThread() ? model.threadName(s.resource()) : model.resource(s.resource())
                            .label());
        }
        String waitText = Causality.waitText(model, s);
        if (waitText != null) {
            row = fact(row, "Waiting", waitText);
        }
        if (s.mode() != null) {
            row = fact(row, "Mode", s.mode().name());
        }
        row = fact(row, "From", TimeAxis.duration(s.start()));
        row = fact(row, "To", s.open() ? "still at the end of the trace" : TimeAxis.duration(s.end()));
        row = fact(row, "Duration", TimeAxis.duration(s.end() - s.start()) + (s.timed() ? " (timed)" : "")
                + (s.interrupted() ? ", interrupted" : "") + (s.timedOut() ? ", timed out" : ""));
        for (Causality.Link link : Causality.of(model, s)) {
            row = fact(row, link.kind() == Causality.Kind.WOKE ? "Woken" : "Waited for", link.label()
                    + " at " + TimeAxis.duration(link.fromTime()));
            if (link.kind() == Causality.Kind.WOKE) {
                waker.setVisible(true);
                waker.setManaged(true);
            }
        }
        stack.getItems().setAll(frames(s));
    }

    private static List<String> frames(StateInterval s) {
        List<String> result = new ArrayList<>();
        if (s.stack() != null && !s.stack().frames().isEmpty()) {
            for (Frame f : s.stack().frames()) {
                result.add(Evidence.format(f));
            }
        } else if (s.site() != null) {
            result.add(Evidence.format(s.site()));
        }
        return result;
    }

    private int fact(int row, String name, String value) {
        Label n = new Label(name);
        n.setStyle("-fx-text-fill: #4b5563;");
        n.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE); // long values wrap; the names never shrink
        Label v = new Label(value);
        v.setWrapText(true);
        v.setMinWidth(0);
        v.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE); // wrap to more lines rather than cut
        facts.addRow(row, n, v);
        return row + 1;
    }

    /** The stack shown, for tests. */
    public List<String> stackLines() {
        return List.copyOf(stack.getItems());
    }

    public String titleText() {
        return title.getText();
    }
}
