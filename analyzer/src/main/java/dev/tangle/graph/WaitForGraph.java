package dev.tangle.graph;

import dev.tangle.model.BlockReason;
import dev.tangle.model.Hold;
import dev.tangle.model.LockMode;
import dev.tangle.model.StateInterval;
import dev.tangle.model.ThreadInfo;
import dev.tangle.model.ThreadState;
import dev.tangle.model.TraceModel;
import org.jgrapht.Graph;
import org.jgrapht.alg.connectivity.GabowStrongConnectivityInspector;
import org.jgrapht.graph.DefaultDirectedGraph;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.builder.GraphTypeBuilder;
import org.jgrapht.Graphs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Who waits for whom at one instant, as a JGraphT graph with thread and resource nodes: a thread
 * {@link EdgeKind#ACQUIRE waits to acquire} a monitor or lock, {@link EdgeKind#SIGNAL waits for a signal} on a
 * monitor, condition or park blocker, or {@link EdgeKind#JOIN waits for another thread to end}; a resource is
 * {@link EdgeKind#HELD_BY held by} threads.
 *
 * <p>{@link #deadlocks()} finds the cycles that can never resolve: threads blocked without a timeout on a
 * monitor or lock held, in a conflicting mode, by the next thread. It runs Gabow's strong components
 * algorithm ({@link GabowStrongConnectivityInspector}, O(|V|+|E|)) on the thread-level "blocked by" graph.
 */
public final class WaitForGraph {
    /** A node: a thread or a resource. */
    public sealed interface Node permits ThreadNode, ResourceNode {
    }

    public record ThreadNode(long threadId) implements Node {
    }

    public record ResourceNode(long resourceId) implements Node {
    }

    public enum EdgeKind { ACQUIRE, SIGNAL, JOIN, HELD_BY }

    /**
     * An edge. For waits, {@code since} is when the wait began and {@code timed} whether it can time out; for
     * {@link EdgeKind#HELD_BY}, {@code since} is when the hold began.
     */
    public record Edge(Node source, Node target, EdgeKind kind, LockMode mode, boolean timed, long since) {
    }

    private final long time;
    private final Graph<Node, Edge> graph;
    private final Graph<Long, DefaultEdge> blockedBy;

    private WaitForGraph(long time, Graph<Node, Edge> graph, Graph<Long, DefaultEdge> blockedBy) {
        this.time = time;
        this.graph = graph;
        this.blockedBy = blockedBy;
    }

    /** The graph when the trace ended. */
    public static WaitForGraph atEnd(TraceModel model) {
        return build(model, model.endTime(), true);
    }

    /** The graph at {@code time} (ns since start). */
    public static WaitForGraph at(TraceModel model, long time) {
        return build(model, time, time >= model.endTime());
    }

    private static WaitForGraph build(TraceModel model, long time, boolean atEnd) {
        Graph<Node, Edge> g = GraphTypeBuilder.<Node, Edge>directed().allowingMultipleEdges(true)
                .allowingSelfLoops(false).buildGraph();
        Graph<Long, DefaultEdge> blockedBy = new DefaultDirectedGraph<>(DefaultEdge.class);
        List<Hold> holds = atEnd ? model.holdsAtEnd() : model.holdsAt(time);
        for (Hold h : holds) {
            Node r = new ResourceNode(h.resourceId());
            Node t = new ThreadNode(h.threadId());
            g.addVertex(r);
            g.addVertex(t);
            g.addEdge(r, t, new Edge(r, t, EdgeKind.HELD_BY, h.mode(), false, h.start()));
        }
        for (ThreadInfo info : model.threads()) {
            StateInterval s = (atEnd ? model.stateAtEnd(info.id()) : model.stateAt(info.id(), time)).orElse(null);
            if (s == null || s.state() == ThreadState.RUNNING || s.state() == ThreadState.TERMINATED
                    || s.state() == ThreadState.SLEEPING || s.state() == ThreadState.IDLE) {
                continue;
            }
            Node t = new ThreadNode(info.id());
            g.addVertex(t);
            if (s.reason() == BlockReason.JOIN) {
                if (s.resource() == info.id()) {
                    continue; // a thread joining itself: no edge (the graph has no loops), its state says it
                }
                Node other = new ThreadNode(s.resource());
                g.addVertex(other);
                g.addEdge(t, other, new Edge(t, other, EdgeKind.JOIN, null, s.timed(), s.start()));
            } else if (s.resource() != 0) {
                Node r = new ResourceNode(s.resource());
                g.addVertex(r);
                EdgeKind kind = s.reason().isLockAcquisition() ? EdgeKind.ACQUIRE : EdgeKind.SIGNAL;
                g.addEdge(t, r, new Edge(t, r, kind, s.mode(), s.timed(), s.start()));
                if (kind == EdgeKind.ACQUIRE && !s.timed()) {
                    addBlockers(blockedBy, info.id(), s, holds);
                }
            }
        }
        return new WaitForGraph(time, g, blockedBy);
    }

    /** Thread-level edges: the waiter is blocked by each holder whose mode conflicts with the request. */
    private static void addBlockers(Graph<Long, DefaultEdge> blockedBy, long waiter, StateInterval s,
                                    List<Hold> holds) {
        LockMode wanted = s.mode() == null ? LockMode.EXCLUSIVE : s.mode();
        boolean holdsWrite = holds.stream().anyMatch(h -> h.threadId() == waiter
                && h.resourceId() == s.resource() && h.mode() != LockMode.READ);
        for (Hold h : holds) {
            if (h.resourceId() != s.resource() || !h.mode().conflicts(wanted)) {
                continue;
            }
            // a thread's own hold blocks it only when it asks to write while holding just the read lock
            boolean self = h.threadId() == waiter;
            if (self && !(wanted == LockMode.WRITE && h.mode() == LockMode.READ && !holdsWrite)) {
                continue;
            }
            blockedBy.addVertex(waiter);
            blockedBy.addVertex(h.threadId());
            if (!blockedBy.containsEdge(waiter, h.threadId())) {
                blockedBy.addEdge(waiter, h.threadId());
            }
        }
    }

    public long time() {
        return time;
    }

    /** The graph itself (do not modify it). */
    public Graph<Node, Edge> graph() {
        return graph;
    }

    /** The threads that hold what {@code threadId} waits to acquire (untimed waits only). */
    public Set<Long> blockers(long threadId) {
        if (!blockedBy.containsVertex(threadId)) {
            return Set.of();
        }
        return new LinkedHashSet<>(Graphs.successorListOf(blockedBy, threadId));
    }

    /**
     * Every set of threads that are blocked on each other for ever: each strongly connected component of the
     * "blocked by" graph with a cycle (two or more threads, or one asking to upgrade its own read lock), in
     * cycle order from its lowest thread id. Possibly empty, never null.
     */
    public List<List<Long>> deadlocks() {
        List<List<Long>> result = new ArrayList<>();
        for (Set<Long> component : new GabowStrongConnectivityInspector<>(blockedBy).stronglyConnectedSets()) {
            long first = component.stream().min(Comparator.naturalOrder()).orElseThrow();
            if (component.size() == 1 && !blockedBy.containsEdge(first, first)) {
                continue;
            }
            result.add(cycleOrder(component, first));
        }
        result.sort(Comparator.comparing(c -> c.get(0)));
        return result;
    }

    /** Walks the cycle from {@code first} (always to the lowest unvisited blocker), then adds the rest. */
    private List<Long> cycleOrder(Set<Long> component, long first) {
        List<Long> order = new ArrayList<>();
        long t = first;
        while (!order.contains(t)) {
            order.add(t);
            long current = t;
            t = Graphs.successorListOf(blockedBy, current).stream().filter(component::contains)
                    .filter(x -> !order.contains(x)).min(Comparator.naturalOrder())
                    .orElse(first);
        }
        component.stream().sorted().filter(x -> !order.contains(x)).forEach(order::add);
        return order;
    }
}
