package dev.tangle.gui.graph;

import dev.tangle.graph.WaitForGraph;
import dev.tangle.gui.timeline.model.TimeAxis;
import dev.tangle.model.Resource;
import dev.tangle.model.TraceModel;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Who waits for whom at the time cursor: thread and resource nodes, "waits for" and "held by" edges, deadlock
 * cycles in red. Scrubbing the cursor on the ruler rebuilds it ({@link WaitForGraph#at} per position).
 */
public final class WaitForGraphView extends BorderPane {
    private final GraphPane graph = new GraphPane();
    private final Label title = new Label();

    public WaitForGraphView() {
        setId("wait-for-graph");
        title.setPadding(new Insets(6, 8, 6, 8));
        title.setWrapText(true);
        setTop(title);
        setCenter(graph);
        show(null, -1);
    }

    public GraphPane graph() {
        return graph;
    }

    public void show(TraceModel model, double time) {
        if (model == null) {
            title.setText("Wait-for graph: open a trace");
            graph.show(List.of(), List.of(), "");
            return;
        }
        long t = time < 0 ? model.endTime() : (long) time;
        WaitForGraph wfg = t >= model.endTime() ? WaitForGraph.atEnd(model) : WaitForGraph.at(model, t);
        Set<Long> cycleThreads = new HashSet<>();
        wfg.deadlocks().forEach(cycleThreads::addAll);
        Set<Long> cycleResources = new HashSet<>();
        for (WaitForGraph.Edge e : wfg.graph().edgeSet()) {
            if (e.kind() == WaitForGraph.EdgeKind.ACQUIRE && e.source() instanceof WaitForGraph.ThreadNode tn
                    && cycleThreads.contains(tn.threadId()) && e.target() instanceof WaitForGraph.ResourceNode rn
                    && wfg.graph().outgoingEdgesOf(rn).stream().anyMatch(h -> h.target()
                    instanceof WaitForGraph.ThreadNode holder && cycleThreads.contains(holder.threadId()))) {
                cycleResources.add(rn.resourceId());
            }
        }
        List<GraphPane.GNode> nodes = new ArrayList<>();
        for (WaitForGraph.Node n : wfg.graph().vertexSet()) {
            if (n instanceof WaitForGraph.ThreadNode tn) {
                nodes.add(new GraphPane.GNode(key(n), model.threadName(tn.threadId()), true,
                        cycleThreads.contains(tn.threadId()), model.thread(tn.threadId()).map(x -> x.label())
                        .orElse(null)));
            } else if (n instanceof WaitForGraph.ResourceNode rn) {
                Resource r = model.resource(rn.resourceId());
                nodes.add(new GraphPane.GNode(key(n), GraphPane.shortName(r.className()) + "@"
                        + Integer.toHexString(r.identityHash()), false, cycleResources.contains(r.id()),
                        r.label() + " (" + r.kind() + ")"));
            }
        }
        List<GraphPane.GEdge> edges = new ArrayList<>();
        for (WaitForGraph.Edge e : wfg.graph().edgeSet()) {
            boolean cycle = inCycle(e, cycleThreads, cycleResources);
            String label = switch (e.kind()) {
                case ACQUIRE -> "waits to acquire";
                case SIGNAL -> "waits for a signal";
                case JOIN -> "joins";
                case HELD_BY -> "held by";
            };
            edges.add(new GraphPane.GEdge(key(e.source()), key(e.target()), label + (e.timed() ? " (timed)" : ""),
                    cycle, e));
        }
        int deadlocks = wfg.deadlocks().size();
        title.setText("Wait-for graph at " + TimeAxis.duration(t) + (t >= model.endTime() ? " (end of trace)" : "")
                + (deadlocks > 0 ? ": " + deadlocks + (deadlocks == 1 ? " deadlock" : " deadlocks") + " (red)"
                : ": no deadlock"));
        title.setStyle(deadlocks > 0 ? "-fx-text-fill: #b71c1c; -fx-font-weight: bold;" : "");
        graph.show(nodes, edges, "Nobody waits at " + TimeAxis.duration(t)
                + ". Click or drag on the time ruler to move the cursor.");
    }

    private static boolean inCycle(WaitForGraph.Edge e, Set<Long> threads, Set<Long> resources) {
        if (e.source() instanceof WaitForGraph.ThreadNode t && e.target() instanceof WaitForGraph.ResourceNode r) {
            return threads.contains(t.threadId()) && resources.contains(r.resourceId());
        }
        if (e.source() instanceof WaitForGraph.ResourceNode r && e.target() instanceof WaitForGraph.ThreadNode t) {
            return threads.contains(t.threadId()) && resources.contains(r.resourceId());
        }
        return false;
    }

    private static String key(WaitForGraph.Node n) {
        return n instanceof WaitForGraph.ThreadNode t ? "t" + t.threadId()
                : "r" + ((WaitForGraph.ResourceNode) n).resourceId();
    }
}
