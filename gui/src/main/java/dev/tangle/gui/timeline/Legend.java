package dev.tangle.gui.timeline;

import dev.tangle.gui.timeline.model.StateCategory;
import dev.tangle.gui.timeline.model.StatePalette;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.paint.Color;
import javafx.scene.shape.Rectangle;

/** The lane colours explained, one swatch per state, plus the lock-hold bar. */
public final class Legend extends FlowPane {
    public Legend() {
        super(14, 4);
        setId("legend");
        setPadding(new Insets(4, 8, 4, 8));
        setAlignment(Pos.CENTER_LEFT);
        for (StateCategory c : StateCategory.values()) {
            if (c != StateCategory.ABSENT) {
                getChildren().add(item(swatch(StatePalette.argb(c), 14, 10), c.label()));
            }
        }
        getChildren().add(item(swatch(StatePalette.HOLD, 14, 4), "holds a lock"));
        getChildren().add(item(triangle(TimelineView.SEND_MARK, true), "sent to a channel"));
        getChildren().add(item(triangle(TimelineView.RECEIVE_MARK, false), "received"));
        Label hint = new Label("Ctrl+wheel or W/S zoom \u00B7 drag or A/D pan \u00B7 drag the ruler to zoom in \u00B7"
                + " F fit \u00B7 Ctrl+Z back");
        hint.setTextFill(Color.gray(0.45));
        getChildren().add(hint);
    }

    private static javafx.scene.shape.Polygon triangle(Color c, boolean down) {
        javafx.scene.shape.Polygon p = down ? new javafx.scene.shape.Polygon(0, 0, 8, 0, 4, 7)
                : new javafx.scene.shape.Polygon(0, 7, 8, 7, 4, 0);
        p.setFill(c);
        return p;
    }

    private static HBox item(javafx.scene.Node swatch, String text) {
        HBox box = new HBox(5, swatch, new Label(text));
        box.setAlignment(Pos.CENTER_LEFT);
        return box;
    }

    static Rectangle swatch(int argb, double w, double h) {
        Rectangle r = new Rectangle(w, h, color(argb));
        r.setStroke(Color.gray(0.55));
        r.setStrokeWidth(0.5);
        return r;
    }

    static Color color(int argb) {
        return Color.rgb((argb >> 16) & 0xFF, (argb >> 8) & 0xFF, argb & 0xFF, ((argb >>> 24) & 0xFF) / 255.0);
    }
}
