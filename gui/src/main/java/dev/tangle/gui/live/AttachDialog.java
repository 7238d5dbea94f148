package dev.tangle.gui.live;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.stage.Window;

import java.util.Comparator;
import java.util.List;

/**
 * File > Attach to JVM: the local JVMs of this user (Attach API), by PID and main class or jar, this viewer
 * excluded; Start Recording gives an {@link AttachedJvm}.
 */
public final class AttachDialog extends Dialog<LiveSource> {
    public static final ButtonType START = new ButtonType("Start Recording", ButtonBar.ButtonData.OK_DONE);

    /** One local JVM as listed. */
    public record Jvm(long pid, String mainClass) {
        @Override
        public String toString() {
            return pid + "  " + (mainClass.isBlank() ? "(no main class)" : mainClass);
        }
    }

    private final ListView<Jvm> list = new ListView<>();

    public AttachDialog(Window owner) {
        initOwner(owner);
        setTitle("Attach to JVM");
        setHeaderText("Record a running JVM: the Tangle agent is loaded into it and streams what its threads do");
        list.setId("jvm-list");
        list.setPrefSize(560, 300);
        list.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(Jvm item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : item.toString());
            }
        });
        list.setPlaceholder(new Label("No other JVM of this user is running"));
        Button refresh = new Button("Refresh");
        refresh.setId("refresh-jvms");
        refresh.setOnAction(e -> refresh());
        HBox bar = new HBox(8, refresh, new Label("PID and main class (or jar); stopping detaches, the JVM goes on"));
        bar.setPadding(new Insets(8, 0, 0, 0));
        BorderPane content = new BorderPane(list, null, null, bar, null);
        getDialogPane().setContent(content);
        getDialogPane().setId("attach-dialog");
        getDialogPane().getButtonTypes().addAll(START, ButtonType.CANCEL);
        Button start = (Button) getDialogPane().lookupButton(START);
        start.setId("start-recording");
        start.disableProperty().bind(list.getSelectionModel().selectedItemProperty().isNull());
        setResultConverter(b -> {
            Jvm j = list.getSelectionModel().getSelectedItem();
            return b == START && j != null ? new AttachedJvm(j.pid(), j.mainClass()) : null;
        });
        refresh();
    }

    public ListView<Jvm> list() {
        return list;
    }

    private void refresh() {
        list.getItems().setAll(localJvms());
    }

    /** The JVMs the Attach API lists, this one excluded, by PID. */
    public static List<Jvm> localJvms() {
        long me = ProcessHandle.current().pid();
        return VirtualMachine.list().stream()
                .map(AttachDialog::jvm)
                .filter(j -> j != null && j.pid() != me)
                .sorted(Comparator.comparingLong(Jvm::pid))
                .toList();
    }

    private static Jvm jvm(VirtualMachineDescriptor d) {
        try {
            String name = d.displayName() == null ? "" : d.displayName().trim();
            return new Jvm(Long.parseLong(d.id()), name);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
