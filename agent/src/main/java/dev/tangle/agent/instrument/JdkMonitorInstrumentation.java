package dev.tangle.agent.instrument;

import java.util.List;

/**
 * One JDK type whose monitors programs use as locks (agent option {@code jdkMonitors}). Its class files are
 * rewritten by {@link JdkMonitorTransformer}: synchronized blocks get MONITOR_REQUEST, MONITOR_ACQUIRED and
 * MONITOR_RELEASE as in application code; synchronized methods, whose flag retransformation cannot remove,
 * get MONITOR_ACQUIRED (flag NO_REQUEST) at entry and MONITOR_RELEASE at every exit.
 */
interface JdkMonitorInstrumentation {
    /** The name of this type in the agent option {@code jdkMonitors}. */
    String optionName();

    /** The classes rewritten, as internal names ({@code java/util/Hashtable}). */
    List<String> classNames();
}
