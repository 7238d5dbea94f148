package dev.tangle.gui.app;

import javafx.application.Application;
import javafx.scene.Scene;
import javafx.stage.Stage;

import java.nio.file.Path;
import java.util.List;

/** The JavaFX application: one main window, opening the file given on the command line. */
public final class TangleApp extends Application {
    @Override
    public void start(Stage stage) {
        MainWindow window = new MainWindow(stage);
        Scene scene = new Scene(window, 1440, 900);
        stage.setScene(scene);
        stage.setTitle(MainWindow.TITLE);
        stage.setOnHidden(e -> window.shutdown()); // an attached JVM goes on running without the agent
        stage.show();
        List<String> args = getParameters().getRaw();
        if (!args.isEmpty()) {
            window.open(Path.of(args.get(0)));
        }
    }
}
