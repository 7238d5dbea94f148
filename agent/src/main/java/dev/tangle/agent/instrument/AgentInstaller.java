package dev.tangle.agent.instrument;

import dev.tangle.agent.bootstrap.AgentConfig;
import dev.tangle.agent.bootstrap.Recorder;
import dev.tangle.agent.bootstrap.ThreadRecorder;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

/**
 * Installs the recorder: opens what it needs inside java.base, starts the recording, weaves advice into the JDK
 * types of {@link #JDK_INSTRUMENTATIONS} and registers {@link AppClassTransformer} for application classes.
 * On attach, application classes loaded already are retransformed, and what that cannot do is written into
 * the trace header as a blind spot.
 */
public final class AgentInstaller {
    private static final List<JdkInstrumentation> JDK_INSTRUMENTATIONS = List.of(
            new ThreadInstrumentation(), new VirtualThreadInstrumentation(), new LockSupportInstrumentation(),
            // futures and executors
            new FutureTaskInstrumentation(), new CompletableFutureInstrumentation(),
            new ThreadPoolExecutorInstrumentation(), new ScheduledThreadPoolExecutorInstrumentation(),
            new ForkJoinPoolInstrumentation());

    /** What {@link #detach} removes again; set while recording. */
    private static AppClassTransformer installedApp;
    private static ResettableClassFileTransformer installedJdk;
    private static JdkMonitorTransformer installedJdkMonitors;

    private AgentInstaller() {
    }

    public static synchronized void install(String args, Instrumentation inst, boolean attach) {
        System.clearProperty(Recorder.ERROR_PROPERTY);
        AgentConfig config;
        try {
            config = AgentConfig.parse(args);
        } catch (IllegalArgumentException e) {
            Recorder.refuse("bad agent option: " + e.getMessage() + "; not recording");
            return;
        }
        if (config.detach) {
            detach(inst);
            return;
        }
        if (Recorder.isStarted()) {
            Recorder.refuse("already recording to " + Recorder.config().out);
            return;
        }
        openJavaBase(inst);
        Map<String, String> header = new LinkedHashMap<>();
        header.put("agent.options", config.redactedRaw());
        header.put("agent.mode", attach ? "attach" : "premain");
        header.put("clock.tickMicros", Long.toString(config.tickMicros));
        header.put("stacks", config.stackMode == AgentConfig.STACKS_ALL ? "all"
                : config.stackMode == AgentConfig.STACKS_NONE ? "none" : "first");
        boolean collapse = config.collapseLeafHolds && config.stackMode != AgentConfig.STACKS_ALL;
        header.put("leafHolds", collapse ? "collapse" : "record");
        if (collapse) {
            header.put("blindSpot.leafHolds", LEAF_HOLDS_BLIND_SPOT);
        }
        AppClassTransformer app = new AppClassTransformer(config.exclude, config.dumpClasses);
        if (attach) {
            header.putAll(ATTACH_BLIND_SPOTS);
        }
        Recorder.applicationClasses(snapshotFilter(app));
        dev.tangle.agent.bootstrap.ClassInitHooks.lineClasses(new LineClasses(inst));
        header.put("stallMillis", Integer.toString(config.stallMillis));
        header.put("jdkMonitors", String.join(";", config.jdkMonitors));
        if (!attach) {
            if (Recorder.start(config, header)) {
                boolean quiet = ThreadRecorder.quietBegin(); // the program's main thread installs: not its events
                try {
                    instrument(inst, app, false, config);
                } finally {
                    ThreadRecorder.quietEnd(quiet);
                }
            }
            return;
        }
        // instrument first, hooks off; then snapshot and switch recording on: what changes between the thread
        // dump and the switch is not seen, so that window is kept short (retransforming takes seconds)
        instrument(inst, app, true, config);
        if (!Recorder.start(config, header, snapshotFilter(app))) {
            uninstall(inst);
        }
    }

    private static void instrument(Instrumentation inst, AppClassTransformer app, boolean retransform,
                                   AgentConfig config) {
        installedJdk = installJdkInstrumentation(inst);
        JdkMonitorTransformer monitors = new JdkMonitorTransformer(config.jdkMonitors);
        if (!monitors.isEmpty()) {
            monitors.install(inst);
            installedJdkMonitors = monitors;
        }
        inst.addTransformer(app, true);
        installedApp = app;
        if (retransform) {
            retransformLoaded(inst, app);
        }
    }

    /**
     * What a recording that began by attaching does not see, written into the trace header (keys
     * {@code blindSpot.*}) so that {@code tangle attach} and {@code tangle analyze} show it.
     */
    /**
     * What the analysis cannot judge when leaf holds are collapsed (option {@code leafHolds=collapse}, the
     * default), detector by detector. {@code tangle analyze} prints it with the report.
     */
    static final String LEAF_HOLDS_BLIND_SPOT = "uncontended holds of non-fair ReentrantLocks and of monitors"
            + " (taken without waiting, nothing else recorded inside, released within the same clock tick, in a"
            + " lock-order context this thread already recorded since it last started or joined a thread; nested"
            + " and reentrant ones too) are counted in LEAF_HOLDS events, not recorded one by one, and a monitor"
            + " request in such a context is written only if the thread waited a clock tick or more (agent option"
            + " leafHolds=record records them all). DEADLOCK, COMMUNICATION_DEADLOCK and POTENTIAL_DEADLOCK judge"
            + " as before: a thread that waits for a lock records its request, a thread stuck on a monitor is seen"
            + " by the stall watcher with what it holds (two or three watcher periods later), a held lock is"
            + " written before anything else its holder records, and every lock-order context appears in full."
            + " STARVATION counts the counted holds as overtakes and acquisitions (by the time of each count's first"
            + " hold, so within a clock tick), but not holds that began while a lock waiter had not yet registered"
            + " (at most one clock tick before its request); monitor waits shorter than a tick are not seen; the"
            + " timeline does not show counted holds, and a lock held by a thread that then blocks outside"
            + " recorded operations (I/O) appears to its waiters without a holder until it is released";

    static final Map<String, String> ATTACH_BLIND_SPOTS = Map.of(
            "blindSpot.preexisting", "threads, monitors and locks from before the attach are known only from the"
                    + " thread dump taken at attach time (SNAPSHOT events): how often a lock was held (reentrancy)"
                    + " and the read locks of a ReentrantReadWriteLock are not in it",
            "blindSpot.synchronizedMethods", "synchronized methods of classes loaded before the attach are seen"
                    + " acquired and released, never requested: a thread blocked entering one is seen waiting only"
                    + " once it has stayed blocked for a stall-watcher period or two (not with stallMillis=0)",
            "blindSpot.runningFrames", "methods that were already running at attach time (on some thread's stack)"
                    + " run their old code until they return: a loop inside one, and the end of a wait, park or"
                    + " sleep begun before the attach, are not recorded",
            "blindSpot.virtualThreads", "virtual threads that existed before the attach are not in the snapshot");

    /** Application code for the snapshot: what the agent would instrument. */
    private static java.util.function.Predicate<String> snapshotFilter(AppClassTransformer app) {
        return className -> app.isApplicationClass(className.replace('.', '/'));
    }

    /**
     * Stops the recording (the trace gets its end chunk) and takes the instrumentation out: application classes
     * are retransformed without the agent's rewriting, the JDK classes reset. A class whose synchronized methods
     * were rewritten when it loaded cannot go back (retransformation cannot change modifiers): it keeps its hooks,
     * which do nothing once recording is off.
     */
    private static void detach(Instrumentation inst) {
        if (!Recorder.isStarted()) {
            Recorder.refuse("not recording: nothing to detach");
            return;
        }
        Recorder.stop();
        uninstall(inst);
    }

    /** Removes what {@link #instrument} installed, as far as the JVM allows; says how far in tangle.detached. */
    private static void uninstall(Instrumentation inst) {
        AppClassTransformer app = installedApp;
        installedApp = null;
        int restored = 0;
        int inert = 0;
        if (app != null) {
            inst.removeTransformer(app);
            for (Class<?> c : applicationClasses(inst, app)) {
                try {
                    inst.retransformClasses(c);
                    restored++;
                } catch (Throwable t) {
                    inert++; // expected for rewritten synchronized methods; the hooks are off
                }
            }
        }
        JdkMonitorTransformer monitors = installedJdkMonitors;
        installedJdkMonitors = null;
        if (monitors != null) {
            monitors.uninstall(inst);
        }
        ResettableClassFileTransformer jdk = installedJdk;
        installedJdk = null;
        if (jdk != null) {
            try {
                jdk.reset(inst, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION);
            } catch (RuntimeException e) {
                Recorder.warnOnce("cannot remove the advice from JDK classes: " + e + " (it records nothing now)");
            }
        }
        System.setProperty("tangle.detached", "application classes restored: " + restored
                + ", left instrumented but inert: " + inert);
    }

    /**
     * java.base must read the bootstrap loader's unnamed module (where the hooks are) for woven advice to link,
     * and the recorder reads lock internals (see Resources) and queue capacities (Capacities).
     */
    private static void openJavaBase(Instrumentation inst) {
        Module base = Object.class.getModule();
        Module hooks = Recorder.class.getModule();
        try {
            inst.redefineModule(base, Set.of(hooks), Map.of(),
                    Map.of("java.util.concurrent.locks", Set.of(hooks), "java.util.concurrent", Set.of(hooks)),
                    Set.of(), Map.of());
            ThreadRecorder.prepare();
        } catch (RuntimeException e) {
            Recorder.warnOnce("cannot open java.base to the agent: " + e);
        }
    }

    private static ResettableClassFileTransformer installJdkInstrumentation(Instrumentation inst) {
        ClassLoader adviceLoader = AgentInstaller.class.getClassLoader();
        AgentBuilder builder = new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.RedefinitionStrategy.Listener.ErrorEscalating.FAIL_LAST)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(new Failures())
                // other agents' machinery: ByteBuddy copies, and Mockito's inline mock maker, whose MockMethodAdvice
                // extends a dispatcher that lives in the boot loader without a class file (it cannot be described)
                .ignore(nameStartsWith("dev.tangle.agent.").or(nameStartsWith("dev.tangle.trace."))
                        .or(nameStartsWith("dev.tangle.shaded.")).or(nameStartsWith("net.bytebuddy."))
                        .or(nameStartsWith("org.mockito.internal.creation.bytebuddy.")).or(isSynthetic()));
        for (JdkInstrumentation i : JDK_INSTRUMENTATIONS) {
            builder = i.apply(builder, adviceLoader);
        }
        try {
            return builder.installOn(inst);
        } catch (RuntimeException e) {
            Recorder.warnOnce("cannot instrument JDK classes: " + e + "; thread and park events are incomplete");
            return null;
        }
    }

    private static List<Class<?>> applicationClasses(Instrumentation inst, AppClassTransformer app) {
        List<Class<?>> classes = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            ClassLoader l = c.getClassLoader();
            if (l != null && l != ClassLoader.getPlatformClassLoader() && inst.isModifiableClass(c)
                    && !c.isArray() && !c.isHidden() && app.isApplicationClass(c.getName().replace('.', '/'))) {
                classes.add(c);
            }
        }
        return classes;
    }

    private static void retransformLoaded(Instrumentation inst, AppClassTransformer app) {
        for (Class<?> c : applicationClasses(inst, app)) { // one by one: one failing class must not fail the others
            try {
                inst.retransformClasses(c);
            } catch (Throwable t) {
                Recorder.warnOnce("cannot retransform " + c.getName() + ": " + t);
            }
        }
    }

    /**
     * Reports each type ByteBuddy could not instrument, once; and keeps ByteBuddy's work on a program thread
     * (matching and weaving a class as it loads, which reads class files through JDK monitors) from being recorded.
     */
    private static final class Failures extends AgentBuilder.Listener.Adapter {
        private static final ThreadLocal<boolean[]> QUIET = ThreadLocal.withInitial(() -> new boolean[1]);

        @Override
        public void onDiscovery(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded) {
            QUIET.get()[0] = ThreadRecorder.quietBegin();
        }

        @Override
        public void onComplete(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded) {
            boolean[] quiet = QUIET.get();
            ThreadRecorder.quietEnd(quiet[0]);
            quiet[0] = false;
        }

        @Override
        public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded,
                            Throwable throwable) {
            Recorder.warnOnce("cannot instrument " + typeName + ": " + throwable);
        }

        @Override
        public void onTransformation(TypeDescription typeDescription, ClassLoader classLoader, JavaModule module,
                                     boolean loaded, DynamicType dynamicType) {
            // transformed as planned
        }
    }
}
