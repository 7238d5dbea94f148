package dev.tangle.gui.app;

import dev.tangle.detect.Finding;
import dev.tangle.detect.FindingType;
import dev.tangle.gui.details.DetailsPane;
import dev.tangle.gui.findings.FindingsPane;
import dev.tangle.gui.graph.LockOrderGraphView;
import dev.tangle.gui.graph.WaitForGraphView;
import dev.tangle.gui.io.Export;
import dev.tangle.gui.io.LoadedTrace;
import dev.tangle.gui.io.RecentFiles;
import dev.tangle.gui.io.TraceLoader;
import dev.tangle.gui.live.AttachDialog;
import dev.tangle.gui.live.DemoDialog;
import dev.tangle.gui.live.LiveSource;
import dev.tangle.gui.timeline.model.TimelineData;
import dev.tangle.gui.timeline.Legend;
import dev.tangle.gui.timeline.TimelineView;
import dev.tangle.gui.timeline.model.TimeAxis;
import dev.tangle.model.ThreadInfo;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Stage;

import java.io.File;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The main window: the timeline with its legend, the details / wait-for / lock-order tabs on the right, the
 * findings below, a status bar with the load progress and its Cancel button. Traces load off the FX thread; a
 * file that cannot be read opens an error dialog that names it and the problem.
 */
public final class MainWindow extends BorderPane {
    public static final String TITLE = "Tangle";

    private final Stage stage;
    private final TimelineView timeline = new TimelineView();
    private final DetailsPane details = new DetailsPane();
    private final WaitForGraphView waitFor = new WaitForGraphView();
    private final LockOrderGraphView lockOrder = new LockOrderGraphView();
    private final FindingsPane findings = new FindingsPane();
    private final TabPane tabs = new TabPane();
    private final Tab detailsTab = new Tab("Details", details);
    private final Tab waitForTab = new Tab("Wait-for graph", waitFor);
    private final Tab lockOrderTab = new Tab("Lock order", lockOrder);
    private final ProgressBar progress = new ProgressBar(0);
    private final Label status = new Label("No trace open");
    /** What the open input cannot show (a JFR recording, thread dumps); hidden for a Tangle trace. */
    private final Label limits = new Label();
    private final Button cancel = new Button("Cancel");
    private final Menu recentMenu = new Menu("Open Recent");
    private final RecentFiles recent;
    private final ExecutorService loaderThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tangle-gui-loader");
        t.setDaemon(true);
        return t;
    });
    private final Button stopLive = new Button("Stop Recording");
    private final MenuItem stopLiveItem = new MenuItem("Stop Recording");
    /** The newest snapshot not yet shown: snapshots come faster than the FX thread may show them. */
    private final AtomicReference<LiveFrame> pendingFrame = new AtomicReference<>();
    private TraceLoader loading;
    private LoadedTrace trace;
    /** The live source recording now, or null. */
    private LiveSource live;
    /** The live source whose trace is on screen (also after it ended), or null for a file. */
    private LiveSource shownLive;

    /** A live snapshot made ready off the FX thread (model, lanes, findings). */
    private record LiveFrame(LiveSource source, LoadedTrace trace, boolean last) {
    }

    public MainWindow(Stage stage) {
        this(stage, RecentFiles.forUser());
    }

    public MainWindow(Stage stage, RecentFiles recent) {
        this.stage = stage;
        this.recent = recent;
        setId("main-window");
        for (Tab t : List.of(detailsTab, waitForTab, lockOrderTab)) {
            t.setClosable(false);
        }
        tabs.getTabs().addAll(detailsTab, waitForTab, lockOrderTab);
        tabs.setId("side-tabs");
        tabs.setMinWidth(280);

        limits.setId("limits");
        limits.setWrapText(true);
        limits.setVisible(false);
        limits.setManaged(false);
        limits.setPadding(new Insets(3, 8, 3, 8));
        limits.setStyle("-fx-background-color: #fff6d8; -fx-text-fill: #4a3b00;");
        VBox timelineBox = new VBox(limits, new Legend(), timeline);
        VBox.setVgrow(timeline, Priority.ALWAYS);
        timeline.setMinSize(300, 150);
        SplitPane top = new SplitPane(timelineBox, tabs);
        top.setDividerPositions(0.64);
        SplitPane.setResizableWithParent(tabs, false);
        SplitPane main = new SplitPane(top, findings);
        main.setOrientation(Orientation.VERTICAL);
        main.setDividerPositions(0.68);
        SplitPane.setResizableWithParent(findings, false);

        setTop(menuBar());
        setCenter(main);
        setBottom(statusBar());

        timeline.selectedProperty().addListener((o, a, s) -> {
            details.show(trace == null ? null : trace.model(), s);
            if (s != null) {
                tabs.getSelectionModel().select(detailsTab);
            }
        });
        details.setOnGoToWaker(timeline::goToWaker);
        timeline.cursorTimeProperty().addListener((o, a, t) -> waitFor.show(trace == null ? null : trace.model(),
                t.doubleValue()));
        findings.selectedProperty().addListener((o, a, f) -> showFinding(f));

        setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) {
                e.acceptTransferModes(TransferMode.COPY);
            }
            e.consume();
        });
        setOnDragDropped(e -> {
            List<File> files = e.getDragboard().getFiles();
            if (files != null && !files.isEmpty()) {
                open(files.get(0).toPath());
            }
            e.setDropCompleted(files != null && !files.isEmpty());
            e.consume();
        });
    }

    public TimelineView timeline() {
        return timeline;
    }

    public FindingsPane findingsPane() {
        return findings;
    }

    public WaitForGraphView waitForView() {
        return waitFor;
    }

    public LockOrderGraphView lockOrderView() {
        return lockOrder;
    }

    public DetailsPane detailsPane() {
        return details;
    }

    /** The trace on screen, or null. */
    public LoadedTrace trace() {
        return trace;
    }

    /** True while a trace is loading. */
    public boolean isLoading() {
        return loading != null;
    }

    private MenuBar menuBar() {
        MenuItem open = new MenuItem("Open...");
        open.setAccelerator(KeyCombination.keyCombination("Shortcut+O"));
        open.setOnAction(e -> chooseAndOpen());
        refreshRecent();
        MenuItem png = new MenuItem("Export Timeline as PNG...");
        png.setOnAction(e -> exportPng());
        MenuItem json = new MenuItem("Export Findings as JSON...");
        json.setOnAction(e -> exportFindings(true));
        MenuItem text = new MenuItem("Export Findings as Text...");
        text.setOnAction(e -> exportFindings(false));
        MenuItem attach = new MenuItem("Attach to JVM...");
        attach.setOnAction(e -> new AttachDialog(stage).showAndWait().ifPresent(this::startLive));
        stopLiveItem.setOnAction(e -> stopLive());
        stopLiveItem.setDisable(true);
        MenuItem quit = new MenuItem("Quit");
        quit.setAccelerator(KeyCombination.keyCombination("Shortcut+Q"));
        quit.setOnAction(e -> Platform.exit());
        Menu file = new Menu("File", null, open, recentMenu, new SeparatorMenuItem(), attach, stopLiveItem,
                new SeparatorMenuItem(), png, json, text, new SeparatorMenuItem(), quit);
        MenuItem demo = new MenuItem("Run a Demo...");
        demo.setOnAction(e -> new DemoDialog(stage).showAndWait().ifPresent(this::startLive));
        Menu demos = new Menu("Demos", null, demo);

        MenuItem fit = new MenuItem("Fit All");
        fit.setAccelerator(KeyCombination.keyCombination("F"));
        fit.setOnAction(e -> timeline.fitAll());
        MenuItem zoomIn = new MenuItem("Zoom In");
        zoomIn.setAccelerator(KeyCombination.keyCombination("W"));
        zoomIn.setOnAction(e -> timeline.zoom(0.8));
        MenuItem zoomOut = new MenuItem("Zoom Out");
        zoomOut.setAccelerator(KeyCombination.keyCombination("S"));
        zoomOut.setOnAction(e -> timeline.zoom(1.25));
        MenuItem back = new MenuItem("Undo Navigation");
        back.setAccelerator(KeyCombination.keyCombination("Shortcut+Z"));
        back.setOnAction(e -> timeline.undo());
        MenuItem waker = new MenuItem("Go to the Thread That Unblocked This");
        waker.setOnAction(e -> timeline.goToWaker());
        Menu view = new Menu("View", null, fit, zoomIn, zoomOut, back, new SeparatorMenuItem(), waker);
        MenuBar bar = new MenuBar(file, view, demos);
        bar.setId("menu-bar");
        return bar;
    }

    private void refreshRecent() {
        recentMenu.getItems().clear();
        for (Path p : recent.list()) {
            MenuItem item = new MenuItem(p.toString());
            item.setMnemonicParsing(false);
            item.setOnAction(e -> open(p));
            recentMenu.getItems().add(item);
        }
        recentMenu.setDisable(recentMenu.getItems().isEmpty());
    }

    private HBox statusBar() {
        progress.setPrefWidth(220);
        progress.setVisible(false);
        cancel.setId("cancel-load");
        cancel.setVisible(false);
        cancel.setOnAction(e -> cancelLoading());
        status.setId("status");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        stopLive.setId("stop-live");
        stopLive.setVisible(false);
        stopLive.setOnAction(e -> stopLive());
        HBox bar = new HBox(8, status, spacer, progress, cancel, stopLive);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(3, 8, 3, 8));
        bar.setStyle("-fx-background-color: #eef0f3; -fx-border-color: #d5d9df; -fx-border-width: 1 0 0 0;");
        return bar;
    }

    private void chooseAndOpen() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Open a Tangle trace");
        chooser.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("Tangle traces", "*.trace"),
                new FileChooser.ExtensionFilter("JFR recordings", "*.jfr"),
                new FileChooser.ExtensionFilter("Thread dumps", "*.txt", "*.tdump", "*.json", "*.log"),
                new FileChooser.ExtensionFilter("All files", "*"));
        if (trace != null && trace.file().getParent() != null) {
            chooser.setInitialDirectory(trace.file().toAbsolutePath().getParent().toFile());
        }
        File f = chooser.showOpenDialog(stage);
        if (f != null) {
            open(f.toPath());
        }
    }

    /** Loads the file in the background (cancelling a load in progress) and shows it when done. */
    public void open(Path file) {
        cancelLoading();
        stopLive();
        shownLive = null;
        TraceLoader task = new TraceLoader(file);
        loading = task;
        loadCancelled = false;
        progress.progressProperty().bind(task.progressProperty());
        status.textProperty().bind(task.messageProperty());
        progress.setVisible(true);
        cancel.setVisible(true);
        task.valueProperty().addListener((o, a, partial) -> {
            if (partial != null && partial.findings().isEmpty() && loading == task && !loadCancelled) {
                show(partial); // the timeline before the detectors are done
            }
        });
        task.setOnSucceeded(e -> {
            loadEnded(task);
            if (loadCancelled) { // it finished on its thread before the cancel reached it: not shown
                status.setText("Loading " + file.getFileName() + " cancelled");
                return;
            }
            showFindings(task.getValue());
        });
        task.setOnFailed(e -> {
            loadEnded(task);
            status.setText("Could not open " + file.getFileName());
            showError(file, task.getException());
        });
        task.setOnCancelled(e -> {
            loadEnded(task);
            status.setText("Loading " + file.getFileName() + " cancelled");
        });
        loaderThread.submit(task);
    }

    /** The user cancelled the current load (a load that had already finished on its thread is then not shown). */
    private boolean loadCancelled;

    public void cancelLoading() {
        if (loading != null) {
            loadCancelled = true;
            loading.cancel();
        }
    }

    private void loadEnded(TraceLoader task) {
        if (loading == task) {
            loading = null;
        }
        progress.progressProperty().unbind();
        status.textProperty().unbind();
        progress.setVisible(false);
        cancel.setVisible(false);
    }

    private void showError(Path file, Throwable error) {
        String message = error == null ? "unknown error" : error.getMessage();
        if (error instanceof InterruptedIOException) {
            return; // cancelled while reading
        }
        if (!(error instanceof IOException)) {
            // not a problem of the file: a bug of ours, worth its stack trace on stderr
            error.printStackTrace();
            message = "internal error: " + error;
        }
        Alert alert = new Alert(Alert.AlertType.ERROR);
        alert.initOwner(stage);
        alert.setTitle("Cannot open trace");
        alert.setHeaderText("Cannot open " + file.getFileName());
        alert.setContentText(message);
        alert.getDialogPane().setId("error-dialog");
        alert.show();
    }

    /** Shows a loaded trace (the loader calls this; tests and live sources may too). */
    public void show(LoadedTrace loaded) {
        trace = loaded;
        stage.setTitle(TITLE + " \u2014 " + loaded.file().getFileName());
        showLimits(loaded.model().summary());
        timeline.setTrace(loaded.model(), loaded.timeline());
        details.show(loaded.model(), null);
        waitFor.show(loaded.model(), -1);
        lockOrder.show(loaded.model());
        showFindings(loaded);
    }

    /** Says what a JFR recording or a thread dump cannot show, above the timeline. */
    private void showLimits(dev.tangle.model.TraceSummary summary) {
        boolean any = !summary.blindSpots().isEmpty();
        limits.setText(any ? "Read from a " + summary.format() + ", which cannot show everything a Tangle trace"
                + " does:\n\u2022 " + String.join("\n\u2022 ", summary.blindSpots()) : "");
        limits.setVisible(any);
        limits.setManaged(any);
    }

    /** Shows the findings of the trace on screen (the same model, now analysed). */
    private void showFindings(LoadedTrace loaded) {
        if (trace == null || trace.model() != loaded.model()) {
            show(loaded);
            return;
        }
        trace = loaded;
        findings.setFindings(loaded.findings());
        if (!status.textProperty().isBound()) { // while loading, the status shows the loader's progress
            status.setText(String.format(java.util.Locale.ROOT, "%,d events, ", loaded.model().summary().events())
                    + loaded.model().threads().size()
                    + " threads, " + TimeAxis.duration(loaded.model().endTime()) + "; "
                    + FindingsPane.count(loaded.findings()));
        }
        if (shownLive != null) {
            return; // a live trace: its findings come with its snapshots, it has no file to remember
        }
        recent.add(loaded.file());
        refreshRecent();
        if (!loaded.findings().isEmpty()) {
            findings.select(loaded.findings().get(0));
        }
    }

    /** Highlights the finding's threads, scrolls the timeline to it and shows the graph that explains it. */
    private void showFinding(Finding f) {
        if (trace == null) {
            return;
        }
        if (f == null) {
            timeline.highlightedProperty().set(Set.of());
            return;
        }
        Set<Long> ids = new HashSet<>();
        for (ThreadInfo t : trace.model().threads()) {
            if (f.threads().contains(t.name())) {
                ids.add(t.id());
            }
        }
        timeline.highlightedProperty().set(Set.copyOf(ids));
        ids.stream().sorted().findFirst().ifPresent(timeline::revealThread);
        long time = Math.max(0, Math.min(f.time(), trace.model().endTime()));
        var view = timeline.viewport();
        if (time < view.start() || time > view.end()) {
            view.centreOn(time, 0);
            timeline.requestRedraw();
        }
        timeline.cursorTimeProperty().set(time);
        waitFor.show(trace.model(), time);
        if (f.type() == FindingType.POTENTIAL_DEADLOCK) {
            tabs.getSelectionModel().select(lockOrderTab);
        } else {
            tabs.getSelectionModel().select(waitForTab);
        }
    }

    // ---- live recordings (attached JVMs, demos)

    /** The live source recording now, or null. */
    public LiveSource liveSource() {
        return live;
    }

    /**
     * Starts recording {@code source} (stopping a recording in progress) and shows its snapshots as they come.
     * A source that cannot start opens an error dialog with its one-line message.
     */
    public void startLive(LiveSource source) {
        cancelLoading();
        stopLive();
        live = source;
        shownLive = source;
        trace = null;
        stage.setTitle(TITLE + " \u2014 " + source.name());
        status.setText("Starting " + source.name() + " ...");
        stopLive.setVisible(true);
        stopLiveItem.setDisable(false);
        // attaching (or starting a JVM) takes a moment, and a target that does not answer must not freeze the window
        Thread starter = new Thread(() -> {
            try {
                source.start(snapshot -> frameReady(source, snapshot),
                        message -> Platform.runLater(() -> {
                            if (shownLive == source) {
                                status.setText(source.name() + ": " + message);
                            }
                        }));
                Platform.runLater(() -> {
                    if (live == source && trace == null) {
                        status.setText("Recording " + source.name() + " ...");
                    }
                });
            } catch (Exception | LinkageError e) {
                Platform.runLater(() -> {
                    if (live == source) {
                        live = null;
                        stopLive.setVisible(false);
                        stopLiveItem.setDisable(true);
                    }
                    showLiveError(source, e);
                });
            }
        }, "tangle-gui-live-start");
        starter.setDaemon(true);
        starter.start();
    }

    /** Stops the live recording now, waiting for the stop (the viewer is closing: detach before it exits). */
    public void shutdown() {
        LiveSource source = live;
        live = null;
        if (source != null) {
            try {
                source.stop();
            } catch (Exception | LinkageError e) {
                System.err.println("tangle gui: could not stop " + source.name() + ": " + e.getMessage());
            }
        }
    }

    /** Stops the live recording, if any (off the FX thread: a detach takes a moment); its last snapshot follows. */
    public void stopLive() {
        LiveSource source = live;
        if (source == null) {
            return;
        }
        live = null;
        stopLive.setVisible(false);
        stopLiveItem.setDisable(true);
        status.setText("Stopping " + source.name() + " ...");
        Thread stopper = new Thread(() -> {
            try {
                source.stop();
            } catch (Exception | LinkageError e) {
                Platform.runLater(() -> showLiveError(source, e));
            }
        }, "tangle-gui-live-stop");
        stopper.setDaemon(true);
        stopper.start();
    }

    /** Off the FX thread: builds the lanes of a snapshot, then lets the FX thread show the newest one. */
    private void frameReady(LiveSource source, LiveSource.Snapshot s) {
        TimelineData lanes = TimelineData.of(s.model(), () -> false);
        LoadedTrace loaded = new LoadedTrace(Path.of(source.name().replace('/', '_')), s.model(), lanes,
                s.findings());
        LiveFrame frame = new LiveFrame(source, loaded, s.last());
        LiveFrame before = pendingFrame.getAndSet(frame);
        if (before != null && before.last() && before.source() == source) {
            pendingFrame.set(before); // the complete trace is the one to keep
        }
        if (before == null) {
            Platform.runLater(this::showPendingFrame);
        }
    }

    private void showPendingFrame() {
        LiveFrame f = pendingFrame.getAndSet(null);
        if (f == null || f.source() != shownLive) {
            return; // a recording no longer on screen
        }
        LoadedTrace loaded = f.trace();
        boolean newFindings = trace == null || !trace.findings().equals(loaded.findings());
        if (trace == null) {
            show(loaded);
        } else {
            trace = loaded;
            timeline.growTrace(loaded.model(), loaded.timeline());
            double cursor = timeline.cursorTimeProperty().get();
            waitFor.show(loaded.model(), cursor);
            lockOrder.show(loaded.model());
            if (newFindings) {
                Finding selected = findings.selectedProperty().get();
                findings.setFindings(loaded.findings());
                if (selected != null) {
                    loaded.findings().stream().filter(x -> x.type() == selected.type()
                            && x.threads().equals(selected.threads())).findFirst().ifPresent(findings::select);
                }
            }
        }
        String counts = String.format(java.util.Locale.ROOT, "%,d events, ", loaded.model().summary().events())
                + loaded.model().threads().size() + " threads, " + TimeAxis.duration(loaded.model().endTime())
                + "; " + FindingsPane.count(loaded.findings());
        if (f.last()) {
            if (live == f.source()) {
                live = null;
                stopLive.setVisible(false);
                stopLiveItem.setDisable(true);
            }
            status.setText(f.source().name() + ": recording ended; " + counts);
            if (findings.selectedProperty().get() == null && !loaded.findings().isEmpty()) {
                findings.select(loaded.findings().get(0));
            }
        } else {
            status.setText("Recording " + f.source().name() + " (live): " + counts);
        }
    }

    private void showLiveError(LiveSource source, Throwable error) {
        String message = error.getMessage() == null ? error.toString() : error.getMessage();
        message = message.lines().findFirst().orElse(message);
        if (!(error instanceof RuntimeException) && !(error instanceof java.io.IOException)) {
            error.printStackTrace();
        }
        status.setText("Cannot record " + source.name());
        Alert alert = new Alert(Alert.AlertType.ERROR);
        alert.initOwner(stage);
        alert.setTitle("Cannot record");
        alert.setHeaderText("Cannot record " + source.name());
        alert.setContentText(message);
        alert.getDialogPane().setId("error-dialog");
        alert.show();
    }

    private void exportPng() {
        if (trace == null) {
            return;
        }
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export the visible timeline");
        chooser.setInitialFileName("timeline.png");
        File f = chooser.showSaveDialog(stage);
        if (f != null) {
            try {
                exportPng(f.toPath());
            } catch (IOException ex) {
                showError(f.toPath(), ex);
            }
        }
    }

    /** Writes what the timeline shows (names, ruler, lanes, overlays) as a PNG. */
    public void exportPng(Path file) throws IOException {
        WritableImage img = timeline.canvas().snapshot(null, null);
        int w = (int) img.getWidth();
        int h = (int) img.getHeight();
        int[] argb = new int[w * h];
        img.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), argb, 0, w);
        Export.png(argb, w, h, file);
    }

    private void exportFindings(boolean json) {
        if (trace == null) {
            return;
        }
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export the findings");
        chooser.setInitialFileName(json ? "findings.json" : "findings.txt");
        File f = chooser.showSaveDialog(stage);
        if (f == null) {
            return;
        }
        try {
            if (json) {
                Export.json(trace.findings(), trace.model().summary(), f.toPath());
            } else {
                Export.text(trace.findings(), trace.model().summary(), f.toPath());
            }
        } catch (IOException ex) {
            showError(f.toPath(), ex);
        }
    }
}
