package dev.tangle.graph;

import dev.tangle.model.LockOrderEdge;

import java.util.List;

/**
 * A lock-order cycle that can deadlock, with one witness edge per step in cycle order (starting at its lowest lock
 * id), and what kept its orders apart in this run, if anything.
 *
 * @param edges   one {@link LockOrderEdge} per step: edge {@code i} holds what edge {@code i-1} asks for
 * @param ordered {@link Order#NONE} when the orders could overlap in this run (a potential deadlock), else what
 *                ordered them (the inversion is then a note: it hangs only where the paths run at the same time)
 */
public record Inversion(List<LockOrderEdge> edges, Order ordered) {
    public Inversion {
        edges = List.copyOf(edges);
    }

    /** What kept the two (or more) orders of an inversion from overlapping in this run. */
    public enum Order {
        /** Nothing: different threads that start/join does not order. */
        NONE(""),
        /** A thread that took one order was started after the other order was taken (start alone orders them). */
        START("start"),
        /** A thread that took one order was joined before the other order was taken. */
        JOIN("join"),
        /** One thread took both orders, one after the other. */
        SAME_THREAD("sameThread");

        private final String detail;

        Order(String detail) {
            this.detail = detail;
        }

        /** The value of a finding's {@code details.orderedBy}: {@code start}, {@code join}, {@code sameThread}. */
        public String detail() {
            return detail;
        }
    }

    /** True when this run kept the orders apart. */
    public boolean isOrdered() {
        return ordered != Order.NONE;
    }
}
