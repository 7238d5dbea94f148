package dev.tangle.gui.findings;

import dev.tangle.detect.Evidence;
import dev.tangle.detect.Finding;
import dev.tangle.detect.ResourceRef;
import dev.tangle.detect.Severity;
import dev.tangle.gui.timeline.model.TimeAxis;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.geometry.Insets;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextArea;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every finding with its type, summary, threads and resources; the selected one's evidence (what each thread did,
 * with stacks) and, for a deadlock, the four Coffman conditions as a checklist, each with its evidence.
 */
public final class FindingsPane extends SplitPane {
    private static final Map<String, String> COFFMAN = Map.of(
            "mutualExclusion", "Mutual exclusion",
            "holdAndWait", "Hold and wait",
            "noPreemption", "No preemption",
            "circularWait", "Circular wait");
    private static final List<String> COFFMAN_ORDER = List.of("mutualExclusion", "holdAndWait", "noPreemption",
            "circularWait");

    private final ListView<Finding> list = new ListView<>();
    private final VBox detail = new VBox(6);

    public FindingsPane() {
        setId("findings");
        list.setId("findings-list");
        list.setPlaceholder(new Label("No findings: no concurrency bug in this trace"));
        list.setCellFactory(v -> new FindingCell());
        detail.setPadding(new Insets(8));
        ScrollPane scroll = new ScrollPane(detail);
        scroll.setFitToWidth(true);
        getItems().addAll(list, scroll);
        setDividerPositions(0.45);
        list.getSelectionModel().selectedItemProperty().addListener((o, a, f) -> showDetail(f));
        showDetail(null);
    }

    public void setFindings(List<Finding> findings) {
        list.getItems().setAll(findings);
    }

    public List<Finding> findings() {
        return List.copyOf(list.getItems());
    }

    public ReadOnlyObjectProperty<Finding> selectedProperty() {
        return list.getSelectionModel().selectedItemProperty();
    }

    public void select(Finding f) {
        list.getSelectionModel().select(f);
        list.scrollTo(f);
    }

    private void showDetail(Finding f) {
        detail.getChildren().clear();
        if (f == null) {
            Label hint = new Label("Select a finding to see its evidence; its threads light up on the timeline.");
            hint.setWrapText(true);
            detail.getChildren().add(hint);
            return;
        }
        Label title = new Label(f.type() + (f.severity() == Severity.NOTE ? " (note)" : "") + ": " + f.summary());
        title.setId("finding-title");
        title.setWrapText(true);
        title.setFont(Font.font("System", FontWeight.BOLD, 13));
        detail.getChildren().add(title);
        detail.getChildren().add(new Label("Threads: " + f.threads().stream().map(t -> "\"" + t + "\"")
                .collect(Collectors.joining(", "))));
        if (!f.resources().isEmpty()) {
            detail.getChildren().add(new Label("Resources: " + f.resources().stream().map(ResourceRef::label)
                    .collect(Collectors.joining(", "))));
        }
        detail.getChildren().add(new Label("When: " + TimeAxis.duration(f.time()) + " after the start"));
        if (f.details().get("orderedBy") != null) {
            Label ordered = new Label("Kept apart in this run by: " + f.details().get("orderedBy")
                    + " (it can hang only where these paths overlap)");
            ordered.setWrapText(true);
            detail.getChildren().add(ordered);
        }
        if (f.details().get("coffman") instanceof Map<?, ?> coffman) {
            Label head = new Label("Why it can never end by itself: the four Coffman conditions");
            head.setFont(Font.font("System", FontWeight.BOLD, 12));
            VBox checklist = new VBox(4);
            checklist.setId("coffman");
            for (String key : COFFMAN_ORDER) {
                Object c = coffman.get(key);
                boolean holds = c instanceof Map<?, ?> m ? Boolean.TRUE.equals(m.get("holds")) : c != null;
                String evidence = c instanceof Map<?, ?> m ? String.valueOf(m.get("evidence")) : String.valueOf(c);
                CheckBox box = new CheckBox(COFFMAN.get(key));
                box.setSelected(holds);
                box.setMouseTransparent(true);
                box.setFocusTraversable(false);
                box.setFont(Font.font("System", FontWeight.BOLD, 12));
                Label ev = new Label(evidence);
                ev.setWrapText(true);
                ev.setPadding(new Insets(0, 0, 0, 24));
                checklist.getChildren().addAll(box, ev);
            }
            detail.getChildren().addAll(head, checklist);
        }
        if (f.details().get("notes") instanceof List<?> notes) {
            notes.forEach(n -> {
                Label l = new Label("Note: " + n);
                l.setWrapText(true);
                detail.getChildren().add(l);
            });
        }
        Label ev = new Label("Evidence");
        ev.setFont(Font.font("System", FontWeight.BOLD, 12));
        TextArea evidence = new TextArea(evidenceText(f));
        evidence.setId("finding-evidence");
        evidence.setEditable(false);
        evidence.setFont(Font.font("Monospaced", 12));
        evidence.setPrefRowCount(Math.min(18, 2 + (int) evidenceText(f).lines().count()));
        VBox.setVgrow(evidence, Priority.ALWAYS);
        detail.getChildren().addAll(ev, evidence);
    }

    static String evidenceText(Finding f) {
        StringBuilder sb = new StringBuilder();
        for (Evidence e : f.evidence()) {
            sb.append(e.what()).append('\n');
            for (String frame : e.stack()) {
                sb.append("    at ").append(frame).append('\n');
            }
        }
        return sb.toString();
    }

    /** {@code 1 finding}, {@code 2 findings, 1 note}: notes (severity NOTE) counted apart, as the text report does. */
    public static String count(List<Finding> findings) {
        long notes = findings.stream().filter(f -> f.severity() == Severity.NOTE).count();
        long bugs = findings.size() - notes;
        return bugs + (bugs == 1 ? " finding" : " findings") + (notes == 0 ? "" : ", " + notes
                + (notes == 1 ? " note" : " notes"));
    }

    /** Red for errors, amber for warnings, a quiet slate blue for notes (worth reading, not alarming). */
    static String severityColour(Severity severity) {
        return switch (severity) {
            case ERROR -> "#b91c1c";
            case WARNING -> "#b45309";
            case NOTE -> "#475569";
        };
    }

    /** Severity badge, type and summary on two lines. */
    private static final class FindingCell extends ListCell<Finding> {
        @Override
        protected void updateItem(Finding f, boolean empty) {
            super.updateItem(f, empty);
            if (empty || f == null) {
                setText(null);
                setGraphic(null);
                setStyle("");
                return;
            }
            Label type = new Label(f.severity().name().toLowerCase(Locale.ROOT) + "  " + f.type());
            type.setFont(Font.font("System", FontWeight.BOLD, 12));
            type.setStyle("-fx-text-fill: " + severityColour(f.severity()) + ";");
            Label summary = new Label(f.summary());
            summary.setWrapText(true);
            summary.setMaxWidth(420);
            setGraphic(new VBox(2, type, summary));
            setText(null);
        }
    }
}
