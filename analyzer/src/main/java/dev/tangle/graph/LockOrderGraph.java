package dev.tangle.graph;

import dev.tangle.model.LockOrderEdge;
import dev.tangle.model.TraceModel;
import org.jgrapht.Graph;
import org.jgrapht.Graphs;
import org.jgrapht.alg.connectivity.GabowStrongConnectivityInspector;
import org.jgrapht.graph.DefaultDirectedGraph;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.DirectedPseudograph;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The lock-order graph: lock A → lock B when a thread asked for B (without a timeout) while holding A. Each edge
 * is a {@link LockOrderEdge}, with the thread, both sites and stacks, and the gate locks held besides A.
 *
 * <p>{@link #findInversions(Consumer)} is the GoodLock family's check (Havelund 2000; Bensalem and Havelund
 * 2005; Agarwal, Wang and Stoller 2006): a cycle of edges made by pairwise different threads, whose modes
 * conflict (two reads never block each other), that share no gate lock, and none of which happens-before
 * another through thread start and join ({@link TraceModel#happensBefore}). Lock-level cycles are found in
 * Gabow's strong components, then by a depth-first search of simple cycles up to {@link #MAX_CYCLE_LENGTH}
 * locks; for each, a backtracking search picks one edge per step.
 */
public final class LockOrderGraph {
    /** Longer lock cycles are not searched: they are rare, and the search is exponential in the length. */
    public static final int MAX_CYCLE_LENGTH = 4;

    private final TraceModel model;
    private final Graph<Long, LockOrderEdge> graph = new DirectedPseudograph<>(LockOrderEdge.class);

    private LockOrderGraph(TraceModel model) {
        this.model = model;
        for (LockOrderEdge e : model.lockOrderEdges()) {
            graph.addVertex(e.from());
            graph.addVertex(e.to());
            graph.addEdge(e.from(), e.to(), e);
        }
    }

    public static LockOrderGraph of(TraceModel model) {
        return new LockOrderGraph(model);
    }

    /** The graph itself (do not modify it); vertices are resource ids. */
    public Graph<Long, LockOrderEdge> graph() {
        return graph;
    }

    /**
     * Calls {@code consumer} once per lock cycle that could deadlock, with one feasible edge per step in cycle
     * order (each list starts at its lowest lock id, so a cycle is reported once).
     */
    public void findInversions(Consumer<List<LockOrderEdge>> consumer) {
        Graph<Long, DefaultEdge> locks = new DefaultDirectedGraph<>(DefaultEdge.class);
        for (LockOrderEdge e : graph.edgeSet()) {
            locks.addVertex(e.from());
            locks.addVertex(e.to());
            if (!locks.containsEdge(e.from(), e.to())) {
                locks.addEdge(e.from(), e.to());
            }
        }
        for (Set<Long> component : new GabowStrongConnectivityInspector<>(locks).stronglyConnectedSets()) {
            if (component.size() < 2) {
                continue;
            }
            for (long start : component.stream().sorted().toList()) {
                List<Long> path = new ArrayList<>();
                path.add(start);
                simpleCycles(locks, component, start, path, consumer);
            }
        }
    }

    /** Cycles through {@code start} whose other locks all have higher ids (so each is found once). */
    private void simpleCycles(Graph<Long, DefaultEdge> locks, Set<Long> component, long start, List<Long> path,
                              Consumer<List<LockOrderEdge>> consumer) {
        long last = path.get(path.size() - 1);
        for (long next : Graphs.successorListOf(locks, last)) {
            if (next == start && path.size() >= 2) {
                List<LockOrderEdge> chosen = new ArrayList<>();
                if (assign(path, 0, chosen)) {
                    consumer.accept(List.copyOf(chosen));
                }
            } else if (next > start && component.contains(next) && !path.contains(next)
                    && path.size() < MAX_CYCLE_LENGTH) {
                path.add(next);
                simpleCycles(locks, component, start, path, consumer);
                path.remove(path.size() - 1);
            }
        }
    }

    /** Picks edges for steps {@code i..} of the lock cycle {@code path}, consistent with those chosen so far. */
    private boolean assign(List<Long> path, int i, List<LockOrderEdge> chosen) {
        if (i == path.size()) {
            return modesConflict(chosen.get(chosen.size() - 1), chosen.get(0)) && noCommonGate(chosen);
        }
        long from = path.get(i);
        long to = path.get((i + 1) % path.size());
        for (LockOrderEdge e : graph.getAllEdges(from, to)) {
            if (!compatible(e, chosen)) {
                continue;
            }
            chosen.add(e);
            if (assign(path, i + 1, chosen)) {
                return true;
            }
            chosen.remove(chosen.size() - 1);
        }
        return false;
    }

    private boolean compatible(LockOrderEdge e, List<LockOrderEdge> chosen) {
        for (LockOrderEdge c : chosen) {
            if (c.threadId() == e.threadId() || ordered(c, e) || ordered(e, c)) {
                return false;
            }
        }
        return chosen.isEmpty() || modesConflict(chosen.get(chosen.size() - 1), e);
    }

    /** Every occurrence of {@code a} happens-before every occurrence of {@code b}. */
    private boolean ordered(LockOrderEdge a, LockOrderEdge b) {
        return model.happensBefore(a.threadId(), a.lastToTime(), b.threadId(), b.firstFromTime());
    }

    /** {@code prev}'s thread asks for the lock that {@code next}'s thread holds: can one block the other? */
    private static boolean modesConflict(LockOrderEdge prev, LockOrderEdge next) {
        return prev.toMode().conflicts(next.fromMode()) && next.fromMode().conflicts(prev.toMode());
    }

    private static boolean noCommonGate(List<LockOrderEdge> edges) {
        Set<Long> common = new HashSet<>(edges.get(0).gates());
        for (LockOrderEdge e : edges) {
            common.retainAll(e.gates());
        }
        return common.isEmpty();
    }
}
