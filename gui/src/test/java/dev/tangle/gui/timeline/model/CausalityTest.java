package dev.tangle.gui.timeline.model;

import dev.tangle.gui.RecordedTraces;
import dev.tangle.model.Causality;
import dev.tangle.model.Hold;
import dev.tangle.model.ModelBuilder;
import dev.tangle.model.StateInterval;
import dev.tangle.model.ThreadState;
import dev.tangle.model.TraceModel;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CausalityTest {
    private static long id(TraceModel model, String name) {
        return model.threads().stream().filter(t -> name.equals(t.name())).findFirst().orElseThrow().id();
    }

    /** The waiter's block was held by the holder and ended by the holder's release: release -> acquire. */
    @Test
    void aBlockOnAMonitorLinksToItsHolderAndToTheReleaseThatEndedIt() throws Exception {
        TraceModel model = ModelBuilder.build(RecordedTraces.handOver());
        long holder = id(model, "holder");
        long waiter = id(model, "waiter");
        StateInterval blocked = model.states(waiter).stream().filter(s -> s.state() == ThreadState.BLOCKED)
                .findFirst().orElseThrow(() -> new AssertionError("the waiter never blocked"));
        Hold hold = model.holds(blocked.resource()).stream().filter(h -> h.threadId() == holder).findFirst()
                .orElseThrow();

        List<Causality.Link> links = Causality.of(model, blocked);

        assertThat(links).containsExactly(
                new Causality.Link(Causality.Kind.HELD, holder, hold.start(), waiter, blocked.start(),
                        "held by holder"),
                new Causality.Link(Causality.Kind.WOKE, holder, hold.end(), waiter, blocked.end(),
                        "released by holder"));
        assertThat(hold.end()).isLessThanOrEqualTo(blocked.end());
        assertThat(Causality.waker(model, blocked).fromThread()).isEqualTo(holder);
        // a running interval has no links
        assertThat(Causality.of(model, model.stateAt(holder, hold.start()).orElseThrow())).isEmpty();
    }
}
