package dev.tangle.gui.live;

import dev.tangle.samples.Scenario;
import dev.tangle.samples.Scenarios;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.RadioButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/**
 * Demos > Run a Demo: the scenario catalogue ({@link Scenarios}) with descriptions and the finding each bug gives;
 * the buggy or the fixed variant; Run gives a {@link DemoRun} shown live.
 */
public final class DemoDialog extends Dialog<LiveSource> {
    public static final ButtonType RUN = new ButtonType("Run", ButtonBar.ButtonData.OK_DONE);

    private final ListView<Scenario> list = new ListView<>();
    private final RadioButton buggy = new RadioButton("The bug");
    private final RadioButton fixed = new RadioButton("The fixed variant");

    public DemoDialog(Window owner) {
        initOwner(owner);
        setTitle("Run a Demo");
        setHeaderText("Run a demo scenario under the agent and watch it live");
        list.setId("scenario-list");
        list.getItems().setAll(Scenarios.all());
        list.setPrefSize(620, 320);
        list.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(Scenario s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty || s == null ? null : s.name() + (s.isBug() ? "  \u2192 " + s.expected()
                        : "  (correct: no finding)"));
            }
        });
        Label description = new Label("Pick a scenario");
        description.setId("scenario-description");
        description.setWrapText(true);
        description.setPrefHeight(48);
        ToggleGroup variant = new ToggleGroup();
        buggy.setToggleGroup(variant);
        fixed.setToggleGroup(variant);
        buggy.setSelected(true);
        buggy.setId("variant-buggy");
        fixed.setId("variant-fixed");
        list.getSelectionModel().selectedItemProperty().addListener((o, a, s) -> {
            description.setText(s == null ? "Pick a scenario" : s.description());
            fixed.setDisable(s == null || !s.isBug());
            if (fixed.isDisable()) {
                buggy.setSelected(true);
            }
        });
        VBox bottom = new VBox(6, description, new HBox(12, buggy, fixed));
        bottom.setPadding(new Insets(8, 0, 0, 0));
        getDialogPane().setContent(new BorderPane(list, null, null, bottom, null));
        getDialogPane().setId("demo-dialog");
        getDialogPane().getButtonTypes().addAll(RUN, ButtonType.CANCEL);
        Button run = (Button) getDialogPane().lookupButton(RUN);
        run.setId("run-demo");
        run.disableProperty().bind(list.getSelectionModel().selectedItemProperty().isNull());
        setResultConverter(b -> {
            Scenario s = list.getSelectionModel().getSelectedItem();
            return b == RUN && s != null ? new DemoRun(s, fixed.isSelected() && s.isBug()) : null;
        });
    }

    public ListView<Scenario> list() {
        return list;
    }
}
