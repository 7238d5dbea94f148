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
import java.util.Optional;
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
 * locks; for each, a backtracking search picks one edge per step. {@link #findAllInversions(Consumer)} also gives
 * the cycles that only start/join order or only one thread made (Dl-Check and JCarder report these): a test suite
 * runs its code one call after the other, and the same code deadlocks where two callers overlap.
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
     * Calls {@code consumer} once per lock cycle that could deadlock in this run, with one feasible edge per step
     * in cycle order (each list starts at its lowest lock id, so a cycle is reported once). Cycles whose orders
     * this run kept apart are left out: {@link #findAllInversions} has them.
     */
    public void findInversions(Consumer<List<LockOrderEdge>> consumer) {
        findAllInversions(i -> {
            if (!i.isOrdered()) {
                consumer.accept(i.edges());
            }
        });
    }

    /**
     * Calls {@code consumer} once per lock cycle whose modes conflict and that no common gate lock serialises:
     * with {@link Inversion.Order#NONE} when edges of pairwise different, unordered threads can be chosen (the
     * GoodLock check), else, when this run kept its orders apart, with what did: {@code START} or {@code JOIN}
     * when different threads can be chosen that start/join orders, {@code SAME_THREAD} when only one thread
     * took some of its orders (one thread never deadlocks with itself, but two running its paths can).
     */
    public void findAllInversions(Consumer<Inversion> consumer) {
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
                              Consumer<Inversion> consumer) {
        long last = path.get(path.size() - 1);
        for (long next : Graphs.successorListOf(locks, last)) {
            if (next == start && path.size() >= 2) {
                inversion(path).ifPresent(consumer);
            } else if (next > start && component.contains(next) && !path.contains(next)
                    && path.size() < MAX_CYCLE_LENGTH) {
                path.add(next);
                simpleCycles(locks, component, start, path, consumer);
                path.remove(path.size() - 1);
            }
        }
    }

    /** The lock cycle {@code path} as an inversion: unordered if it can be, else ordered by threads, else one. */
    private Optional<Inversion> inversion(List<Long> path) {
        for (Relaxation relaxation : Relaxation.values()) {
            List<LockOrderEdge> chosen = new ArrayList<>();
            if (assign(path, 0, chosen, relaxation)) {
                return Optional.of(new Inversion(chosen, orderOf(chosen)));
            }
        }
        return Optional.empty();
    }

    /** Which of GoodLock's conditions a choice of edges may break, tried in this order. */
    private enum Relaxation {
        /** None: pairwise different threads, no happens-before between edges. */
        NONE,
        /** Different threads, which start/join may order. */
        ORDERED_THREADS,
        /** Any threads, the same one included. */
        ANY_THREADS
    }

    /** What kept {@code edges} apart: the same thread, else a start or join between two of them, else nothing. */
    private Inversion.Order orderOf(List<LockOrderEdge> edges) {
        Inversion.Order order = Inversion.Order.NONE;
        for (int i = 0; i < edges.size(); i++) {
            for (int j = 0; j < edges.size(); j++) {
                LockOrderEdge a = edges.get(i);
                LockOrderEdge b = edges.get(j);
                if (i == j) {
                    continue;
                }
                if (a.threadId() == b.threadId()) {
                    return Inversion.Order.SAME_THREAD;
                }
                if (ordered(a, b)) {
                    boolean byStart = model.happensBeforeByStart(a.threadId(), a.lastToTime(), b.threadId(),
                            b.firstFromTime());
                    order = byStart && order != Inversion.Order.JOIN ? Inversion.Order.START : Inversion.Order.JOIN;
                }
            }
        }
        return order;
    }

    /** Picks edges for steps {@code i..} of the lock cycle {@code path}, consistent with those chosen so far. */
    private boolean assign(List<Long> path, int i, List<LockOrderEdge> chosen, Relaxation relaxation) {
        if (i == path.size()) {
            return modesConflict(chosen.get(chosen.size() - 1), chosen.get(0)) && noCommonGate(chosen);
        }
        long from = path.get(i);
        long to = path.get((i + 1) % path.size());
        for (LockOrderEdge e : graph.getAllEdges(from, to)) {
            if (!compatible(e, chosen, relaxation)) {
                continue;
            }
            chosen.add(e);
            if (assign(path, i + 1, chosen, relaxation)) {
                return true;
            }
            chosen.remove(chosen.size() - 1);
        }
        return false;
    }

    private boolean compatible(LockOrderEdge e, List<LockOrderEdge> chosen, Relaxation relaxation) {
        for (LockOrderEdge c : chosen) {
            if (relaxation != Relaxation.ANY_THREADS && c.threadId() == e.threadId()) {
                return false;
            }
            if (relaxation == Relaxation.NONE && (ordered(c, e) || ordered(e, c))) {
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
