package dev.tangle.gui.io;

import dev.tangle.detect.Finding;
import dev.tangle.gui.timeline.model.TimelineData;
import dev.tangle.model.TraceModel;

import java.nio.file.Path;
import java.util.List;

/** A trace ready to show: its model, its lanes and the findings of every detector. */
public record LoadedTrace(Path file, TraceModel model, TimelineData timeline, List<Finding> findings) {
    public LoadedTrace {
        findings = List.copyOf(findings);
    }
}
