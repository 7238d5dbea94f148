package dev.tangle.gui.timeline.model;

/** One row of the lane list: a group's header or one thread's lane (indented when inside a group). */
public sealed interface LaneRow {
    record Header(LaneGroup group, boolean expanded) implements LaneRow {
    }

    record Lane(LaneData lane, boolean grouped) implements LaneRow {
    }
}
