package dev.tangle.graph;

import dev.tangle.graph.WaitForGraph.Edge;
import dev.tangle.graph.WaitForGraph.EdgeKind;
import dev.tangle.graph.WaitForGraph.ResourceNode;
import dev.tangle.graph.WaitForGraph.ThreadNode;
import dev.tangle.model.SyntheticTrace;
import dev.tangle.model.TraceModel;
import dev.tangle.trace.EventKind;
import org.junit.jupiter.api.Test;

import static dev.tangle.model.SyntheticTrace.TIMED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

class WaitForGraphTest {
    @Test
    void theGraphAtAnInstantHasWaitsHoldsAndJoins() {
        SyntheticTrace tr = new SyntheticTrace();
        long m = tr.monitor("M");
        long q = tr.monitor("Queue");
        tr.begin(1, 1, "main", 0).begin(2, 2, "holder", 0).begin(3, 3, "waiter", 0).begin(4, 4, "consumer", 0);
        tr.enter(10, 2, m).exit(50, 2, m);
        tr.ev(20, 3, EventKind.MONITOR_REQUEST, m).ev(51, 3, EventKind.MONITOR_ACQUIRED, m, 0, 1).exit(52, 3, m);
        tr.enter(5, 4, q).ev(7, 4, EventKind.WAIT_BEGIN, q, TIMED, 1000).ev(60, 4, EventKind.WAIT_END, q, 0, 1)
                .exit(61, 4, q);
        tr.ev(25, 1, EventKind.JOIN_BEGIN, 3).ev(70, 1, EventKind.JOIN_END, 3);
        TraceModel model = tr.endAt(100).model();

        WaitForGraph at30 = WaitForGraph.at(model, 30);
        assertThat(at30.graph().edgeSet()).extracting(Edge::source, Edge::target, Edge::kind, Edge::timed)
                .containsExactlyInAnyOrder(
                        tuple(new ResourceNode(m), new ThreadNode(2), EdgeKind.HELD_BY, false),
                        tuple(new ThreadNode(3), new ResourceNode(m), EdgeKind.ACQUIRE, false),
                        tuple(new ThreadNode(4), new ResourceNode(q), EdgeKind.SIGNAL, true),
                        tuple(new ThreadNode(1), new ThreadNode(3), EdgeKind.JOIN, false));
        assertThat(at30.blockers(3)).containsExactly(2L);
        assertThat(at30.deadlocks()).isEmpty();

        WaitForGraph at80 = WaitForGraph.at(model, 80);
        assertThat(at80.graph().edgeSet()).isEmpty();
    }

    @Test
    void aDeadlockIsSeenFromTheMomentItForms() {
        SyntheticTrace tr = new SyntheticTrace();
        long a = tr.monitor("A");
        long b = tr.monitor("B");
        tr.begin(1, 1, "x", 0).begin(2, 2, "y", 0);
        tr.enter(10, 1, a).enter(12, 2, b);
        tr.ev(20, 1, EventKind.MONITOR_REQUEST, b).ev(30, 2, EventKind.MONITOR_REQUEST, a);
        TraceModel model = tr.endAt(100).model();

        assertThat(WaitForGraph.at(model, 25).deadlocks()).isEmpty();
        assertThat(WaitForGraph.at(model, 30).deadlocks()).containsExactly(java.util.List.of(1L, 2L));
        assertThat(WaitForGraph.atEnd(model).deadlocks()).containsExactly(java.util.List.of(1L, 2L));
    }

    @Test
    void theLockOrderGraphHasOneEdgePerOrderAndThread() {
        SyntheticTrace tr = new SyntheticTrace();
        long a = tr.monitor("A");
        long b = tr.monitor("B");
        tr.begin(1, 1, "x", 0);
        for (int i = 0; i < 3; i++) {
            tr.enter(10 + 10 * i, 1, a).enter(12 + 10 * i, 1, b).exit(14 + 10 * i, 1, b).exit(15 + 10 * i, 1, a);
        }
        LockOrderGraph graph = LockOrderGraph.of(tr.model());

        assertThat(graph.graph().edgeSet()).singleElement().satisfies(e -> {
            assertThat(e.from()).isEqualTo(a);
            assertThat(e.to()).isEqualTo(b);
            assertThat(e.count()).isEqualTo(3);
            assertThat(e.firstFromTime()).isEqualTo(11); // when a was acquired
            assertThat(e.lastToTime()).isEqualTo(32);
        });
        java.util.List<Object> inversions = new java.util.ArrayList<>();
        graph.findInversions(inversions::add);
        assertThat(inversions).isEmpty();
    }
}
