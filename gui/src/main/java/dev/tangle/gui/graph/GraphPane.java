package dev.tangle.gui.graph;

import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Pane;
import javafx.scene.layout.StackPane;
import javafx.scene.paint.Color;
import javafx.scene.shape.Line;
import javafx.scene.shape.Polygon;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;
import org.jgrapht.Graph;
import org.jgrapht.alg.drawing.CircularLayoutAlgorithm2D;
import org.jgrapht.alg.drawing.FRLayoutAlgorithm2D;
import org.jgrapht.alg.drawing.model.Box2D;
import org.jgrapht.alg.drawing.model.MapLayoutModel2D;
import org.jgrapht.alg.drawing.model.Point2D;
import org.jgrapht.graph.DirectedPseudograph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Draws a small directed graph (2 to 50 nodes) as JavaFX shapes: threads as blue pills, resources as grey boxes,
 * cycle members and edges in red. Layout by JGraphT: a circle in depth-first order (so a cycle sits around the
 * circle, edges on its rim) for up to {@link #CIRCLE_LIMIT} nodes, Fruchterman-Reingold (fixed seed) beyond.
 */
public final class GraphPane extends Pane {
    static final int CIRCLE_LIMIT = 16;
    private static final Color CYCLE = Color.web("#c62828");
    private static final Color EDGE = Color.web("#4b5563");

    /** A node; {@code thread} decides its shape. */
    public record GNode(String key, String label, boolean thread, boolean cycle, String tooltip) {
    }

    /** An edge from node key to node key. */
    public record GEdge(String from, String to, String label, boolean cycle, Object payload) {
    }

    private List<GNode> nodes = List.of();
    private List<GEdge> edges = List.of();
    private String emptyMessage = "";
    private Consumer<GEdge> onEdgeClicked = e -> { };

    public GraphPane() {
        getStyleClass().add("graph-pane");
        setMinSize(200, 150);
        widthProperty().addListener((o, a, b) -> rebuild());
        heightProperty().addListener((o, a, b) -> rebuild());
    }

    public void setOnEdgeClicked(Consumer<GEdge> action) {
        onEdgeClicked = action;
    }

    public void show(List<GNode> nodes, List<GEdge> edges, String emptyMessage) {
        this.nodes = List.copyOf(nodes);
        this.edges = List.copyOf(edges);
        this.emptyMessage = emptyMessage;
        rebuild();
    }

    /** {@code Value} for {@code dev.example.PrintSumDeadlock$Value}: node labels stay short (tooltips say all). */
    public static String shortName(String className) {
        return className.substring(Math.max(className.lastIndexOf('.'), className.lastIndexOf('$')) + 1);
    }

    public List<GNode> nodes() {
        return nodes;
    }

    public List<GEdge> edges() {
        return edges;
    }

    /** The labels of the nodes drawn in red (cycle members), for tests and the status line. */
    public List<String> cycleLabels() {
        return nodes.stream().filter(GNode::cycle).map(GNode::label).toList();
    }

    private void rebuild() {
        getChildren().clear();
        double w = getWidth();
        double h = getHeight();
        if (nodes.isEmpty()) {
            Label l = new Label(emptyMessage);
            l.setWrapText(true);
            l.setTextFill(Color.gray(0.4));
            l.setMaxWidth(Math.max(100, w - 40));
            l.relocate(20, 20);
            getChildren().add(l);
            return;
        }
        if (w < 50 || h < 50) {
            return;
        }
        Map<String, Node> shapes = new HashMap<>();
        Map<String, double[]> sizes = new HashMap<>();
        double maxW = 0;
        double maxH = 0;
        for (GNode n : nodes) {
            Node shape = nodeShape(n);
            shapes.put(n.key(), shape);
            getChildren().add(shape);
            shape.applyCss();
            if (shape instanceof javafx.scene.Parent p) {
                p.layout();
            }
            double sw = shape.prefWidth(-1);
            double sh = shape.prefHeight(-1);
            sizes.put(n.key(), new double[] {sw, sh});
            maxW = Math.max(maxW, sw);
            maxH = Math.max(maxH, sh);
        }
        Map<String, Point2D> at = layout(w, h, maxW / 2 + 12, maxH / 2 + 24);
        for (GNode n : nodes) {
            double[] size = sizes.get(n.key());
            Point2D c = at.get(n.key());
            shapes.get(n.key()).resizeRelocate(c.getX() - size[0] / 2, c.getY() - size[1] / 2, size[0], size[1]);
        }
        // edges under the nodes
        Map<String, Integer> parallel = new HashMap<>();
        for (GEdge e : edges) {
            Point2D a = at.get(e.from());
            Point2D b = at.get(e.to());
            if (a == null || b == null) {
                continue;
            }
            int k = parallel.merge(e.from() + "->" + e.to(), 1, Integer::sum) - 1;
            // an edge with one the other way round moves aside (each to its own right), so both show
            boolean reverse = edges.stream().anyMatch(r -> r.from().equals(e.to()) && r.to().equals(e.from()));
            drawEdge(e, a, b, k + (reverse ? 1 : 0), shapes.get(e.from()), shapes.get(e.to()));
        }
        shapes.values().forEach(Node::toFront);
    }

    private Map<String, Point2D> layout(double w, double h, double marginX, double marginY) {
        Graph<String, Object> g = new DirectedPseudograph<>(Object.class);
        nodes.forEach(n -> g.addVertex(n.key()));
        for (GEdge e : edges) {
            if (g.containsVertex(e.from()) && g.containsVertex(e.to())) {
                g.addEdge(e.from(), e.to(), new Object());
            }
        }
        double bw = Math.max(10, w - 2 * marginX);
        double bh = Math.max(10, h - 2 * marginY);
        MapLayoutModel2D<String> model = new MapLayoutModel2D<>(Box2D.of(marginX, marginY, bw, bh));
        boolean circle = nodes.size() <= CIRCLE_LIMIT;
        if (circle) {
            Map<String, Integer> order = depthFirstOrder(g);
            new CircularLayoutAlgorithm2D<String, Object>(Math.min(bw, bh) / 2, (x, y) -> Integer.compare(
                    order.get(x), order.get(y))).layout(g, model);
        } else {
            new FRLayoutAlgorithm2D<String, Object>(300, 0.6, new Random(42)).layout(g, model);
        }
        if (circle && nodes.size() > 1) {
            // stretch the circle into the ellipse that fills the box: wide labels get room side by side
            double r = Math.min(bw, bh) / 2;
            double cx = marginX + bw / 2;
            double cy = marginY + bh / 2;
            for (GNode n : nodes) {
                Point2D p = model.get(n.key());
                model.put(n.key(), Point2D.of(cx + (p.getX() - cx) * (bw / 2) / r, cy + (p.getY() - cy) * (bh / 2)
                        / r));
            }
        }
        Map<String, Point2D> at = new HashMap<>();
        nodes.forEach(n -> at.put(n.key(), model.get(n.key())));
        if (nodes.size() == 1) {
            at.put(nodes.get(0).key(), Point2D.of(w / 2, h / 2));
        }
        return at;
    }

    /** Cycle nodes first, then the rest, each in depth-first order along the edges. */
    private Map<String, Integer> depthFirstOrder(Graph<String, Object> g) {
        Set<String> seen = new LinkedHashSet<>();
        List<String> roots = new ArrayList<>();
        nodes.stream().filter(GNode::cycle).forEach(n -> roots.add(n.key()));
        nodes.forEach(n -> roots.add(n.key()));
        for (String root : roots) {
            Deque<String> stack = new ArrayDeque<>();
            stack.push(root);
            while (!stack.isEmpty()) {
                String v = stack.pop();
                if (seen.add(v)) {
                    List<String> next = new ArrayList<>();
                    g.outgoingEdgesOf(v).forEach(e -> next.add(g.getEdgeTarget(e)));
                    for (int i = next.size() - 1; i >= 0; i--) {
                        stack.push(next.get(i));
                    }
                }
            }
        }
        Map<String, Integer> order = new HashMap<>();
        int i = 0;
        for (String v : seen) {
            order.put(v, i++);
        }
        return order;
    }

    private Node nodeShape(GNode n) {
        Label l = new Label(n.label());
        l.setFont(Font.font("System", n.cycle() ? FontWeight.BOLD : FontWeight.NORMAL, 12));
        l.setAlignment(Pos.CENTER);
        StackPane box = new StackPane(l);
        box.getStyleClass().addAll("graph-node", n.thread() ? "thread-node" : "resource-node");
        if (n.cycle()) {
            box.getStyleClass().add("cycle");
        }
        String fill = n.thread() ? (n.cycle() ? "#fde2e1" : "#e3efff") : (n.cycle() ? "#fff1f0" : "#f3f4f6");
        String stroke = n.cycle() ? "#c62828" : n.thread() ? "#1e64c8" : "#6b7280";
        box.setStyle("-fx-background-color: " + fill + "; -fx-border-color: " + stroke + "; -fx-border-width: "
                + (n.cycle() ? 2 : 1) + "; -fx-padding: 4 9 4 9; -fx-background-radius: " + (n.thread() ? 14 : 3)
                + "; -fx-border-radius: " + (n.thread() ? 14 : 3) + ";");
        if (n.tooltip() != null) {
            Tooltip.install(box, new Tooltip(n.tooltip()));
        }
        return box;
    }

    private void drawEdge(GEdge e, Point2D a, Point2D b, int k, Node fromShape, Node toShape) {
        double dx = b.getX() - a.getX();
        double dy = b.getY() - a.getY();
        double len = Math.max(1, Math.hypot(dx, dy));
        // parallel edges are offset sideways
        double off = k * 8;
        double ox = -dy / len * off;
        double oy = dx / len * off;
        double[] from = clip(a.getX() + ox, a.getY() + oy, b.getX() + ox, b.getY() + oy, halfSize(fromShape));
        double[] to = clip(b.getX() + ox, b.getY() + oy, a.getX() + ox, a.getY() + oy, halfSize(toShape));
        Color c = e.cycle() ? CYCLE : EDGE;
        Line line = new Line(from[0], from[1], to[0], to[1]);
        line.setStroke(c);
        line.setStrokeWidth(e.cycle() ? 2.5 : 1.4);
        line.getStyleClass().add(e.cycle() ? "cycle-edge" : "graph-edge");
        double angle = Math.atan2(to[1] - from[1], to[0] - from[0]);
        double size = 10;
        Polygon head = new Polygon(to[0], to[1],
                to[0] - size * Math.cos(angle - 0.38), to[1] - size * Math.sin(angle - 0.38),
                to[0] - size * Math.cos(angle + 0.38), to[1] - size * Math.sin(angle + 0.38));
        head.setFill(c);
        Text label = new Text(e.label());
        label.setFont(Font.font("System", 11));
        label.setFill(e.cycle() ? CYCLE : Color.web("#374151"));
        double mx = (from[0] + to[0]) / 2;
        double my = (from[1] + to[1]) / 2;
        // the label beside the line's middle, on the side it was moved to (if any)
        double side = off > 0 ? 1 : 0.6;
        double px = -Math.sin(angle) * 12 * side;
        double py = Math.cos(angle) * 12 * side;
        label.relocate(mx + px - label.getLayoutBounds().getWidth() / 2 * (1 - Math.abs(Math.sin(angle)))
                - (px < 0 ? label.getLayoutBounds().getWidth() * Math.abs(Math.sin(angle)) : 0),
                my + py - label.getLayoutBounds().getHeight() / 2);
        line.setOnMouseClicked(ev -> onEdgeClicked.accept(e));
        head.setOnMouseClicked(ev -> onEdgeClicked.accept(e));
        label.setOnMouseClicked(ev -> onEdgeClicked.accept(e));
        // a wider invisible line makes the edge easy to click
        Line hit = new Line(from[0], from[1], to[0], to[1]);
        hit.setStrokeWidth(10);
        hit.setStroke(Color.TRANSPARENT);
        hit.setOnMouseClicked(ev -> onEdgeClicked.accept(e));
        getChildren().addAll(line, head, label, hit);
    }

    private static double[] halfSize(Node shape) {
        double w = shape.getLayoutBounds().getWidth();
        double h = shape.getLayoutBounds().getHeight();
        return new double[] {Math.max(10, w / 2 + 2), Math.max(10, h / 2 + 2)};
    }

    /** The point where the segment from (x1,y1) towards (x2,y2) leaves a box of half-size {@code half}. */
    private static double[] clip(double x1, double y1, double x2, double y2, double[] half) {
        double dx = x2 - x1;
        double dy = y2 - y1;
        double tx = dx == 0 ? Double.MAX_VALUE : half[0] / Math.abs(dx);
        double ty = dy == 0 ? Double.MAX_VALUE : half[1] / Math.abs(dy);
        double t = Math.min(1, Math.min(tx, ty));
        return new double[] {x1 + dx * t, y1 + dy * t};
    }
}
