package dev.tangle.gui.graph;

import dev.tangle.detect.Evidence;
import dev.tangle.graph.Inversion;
import dev.tangle.graph.LockOrderGraph;
import dev.tangle.model.LockOrderEdge;
import dev.tangle.model.Resource;
import dev.tangle.model.TraceModel;
import dev.tangle.trace.CallStack;
import dev.tangle.trace.Frame;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextArea;
import javafx.scene.layout.BorderPane;
import javafx.geometry.Orientation;
import javafx.scene.text.Font;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The lock-order graph: lock A → lock B when a thread asked for B while holding A. Edges of a possible deadlock
 * (an inversion found by {@link LockOrderGraph#findInversions}) are red; inversions this run kept apart by its
 * order (notes) are named in the title. Clicking an edge shows both witness
 * stacks: where A was taken and where B was asked for.
 */
public final class LockOrderGraphView extends BorderPane {
    private final GraphPane graph = new GraphPane();
    private final Label title = new Label();
    private final TextArea witness = new TextArea();
    private TraceModel model;

    public LockOrderGraphView() {
        setId("lock-order-graph");
        title.setId("lock-order-title");
        title.setPadding(new Insets(6, 8, 6, 8));
        title.setWrapText(true);
        witness.setEditable(false);
        witness.setWrapText(true);
        witness.setFont(Font.font("Monospaced", 12));
        witness.setId("lock-order-witness");
        SplitPane split = new SplitPane(graph, witness);
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.55);
        setTop(title);
        setCenter(split);
        graph.setOnEdgeClicked(e -> {
            if (e.payload() instanceof LockOrderEdge edge) {
                witness.setText(witnessText(edge));
            }
        });
        show(null);
    }

    public GraphPane graph() {
        return graph;
    }

    public void show(TraceModel model) {
        this.model = model;
        witness.setText("Click an edge to see its witness stacks.");
        if (model == null) {
            title.setText("Lock-order graph: open a trace");
            graph.show(List.of(), List.of(), "");
            return;
        }
        LockOrderGraph log = LockOrderGraph.of(model);
        Set<LockOrderEdge> cycleEdges = new HashSet<>();
        Set<Long> cycleLocks = new HashSet<>();
        List<Inversion> keptApart = new ArrayList<>();
        log.findAllInversions(inversion -> {
            if (inversion.isOrdered()) {
                keptApart.add(inversion); // a note: named in the title, not red (it could not hang this run)
                return;
            }
            cycleEdges.addAll(inversion.edges());
            inversion.edges().forEach(e -> {
                cycleLocks.add(e.from());
                cycleLocks.add(e.to());
            });
        });
        List<GraphPane.GNode> nodes = new ArrayList<>();
        for (long id : log.graph().vertexSet()) {
            Resource r = model.resource(id);
            nodes.add(new GraphPane.GNode("r" + id, GraphPane.shortName(r.className()) + "@" + Integer.toHexString(r.identityHash()),
                    false, cycleLocks.contains(id), r.label()));
        }
        List<GraphPane.GEdge> edges = new ArrayList<>();
        for (LockOrderEdge e : log.graph().edgeSet()) {
            edges.add(new GraphPane.GEdge("r" + e.from(), "r" + e.to(), model.threadName(e.threadId())
                    + (e.count() > 1 ? " \u00D7" + e.count() : ""), cycleEdges.contains(e), e));
        }
        title.setText("Lock-order graph: " + nodes.size() + " locks, " + edges.size() + " orders"
                + (cycleEdges.isEmpty() ? ", no inversion" : ", inversions in red (a deadlock can happen)")
                + (keptApart.isEmpty() ? "" : "; " + keptApart.size() + (keptApart.size() == 1 ? " inversion" : " inversions")
                + " this run kept apart (notes: " + keptApart.stream().map(this::keptApartText)
                .collect(java.util.stream.Collectors.joining("; ")) + ")"));
        title.setStyle(cycleEdges.isEmpty() ? "" : "-fx-text-fill: #b71c1c; -fx-font-weight: bold;");
        graph.show(nodes, edges, "No thread took one lock while holding another.");
        if (!cycleEdges.isEmpty()) {
            witness.setText(witnessText(cycleEdges.iterator().next()));
        } else if (!keptApart.isEmpty()) {
            witness.setText(witnessText(keptApart.get(0).edges().get(0)));
        }
    }

    /** {@code Object@1b6d3586 → Object@4554617c by "first", ... (join)}. */
    private String keptApartText(Inversion inversion) {
        return inversion.edges().stream().map(e -> model.resource(e.from()).simpleClassName() + "@"
                + Integer.toHexString(model.resource(e.from()).identityHash()) + " \u2192 "
                + model.resource(e.to()).simpleClassName() + "@" + Integer.toHexString(model.resource(e.to())
                .identityHash()) + " by \"" + model.threadName(e.threadId()) + "\"")
                .collect(java.util.stream.Collectors.joining(", ")) + " (" + inversion.ordered().detail() + ")";
    }

    private String witnessText(LockOrderEdge e) {
        StringBuilder sb = new StringBuilder();
        sb.append(model.threadName(e.threadId())).append(" asked for ").append(model.resource(e.to()).label())
                .append("\n  while holding ").append(model.resource(e.from()).label())
                .append(e.count() > 1 ? " (" + e.count() + " times)" : "").append("\n\n");
        sb.append("Where it took ").append(model.resource(e.from()).simpleClassName()).append(":\n");
        appendStack(sb, e.fromSite(), e.fromStack());
        sb.append("\nWhere it asked for ").append(model.resource(e.to()).simpleClassName()).append(":\n");
        appendStack(sb, e.toSite(), e.toStack());
        return sb.toString();
    }

    private static void appendStack(StringBuilder sb, Frame site, CallStack stack) {
        if (stack != null && !stack.frames().isEmpty()) {
            stack.frames().forEach(f -> sb.append("    at ").append(Evidence.format(f)).append('\n'));
        } else {
            sb.append("    at ").append(Evidence.format(site)).append('\n');
        }
    }
}
