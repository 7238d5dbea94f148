package dev.tangle.agent.instrument;

import dev.tangle.agent.bootstrap.AgentConfig;
import dev.tangle.agent.bootstrap.Recorder;
import dev.tangle.agent.bootstrap.ThreadRecorder;
import net.bytebuddy.agent.builder.AgentBuilder;
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

    private AgentInstaller() {
    }

    public static void install(String args, Instrumentation inst, boolean attach) {
        AgentConfig config;
        try {
            config = AgentConfig.parse(args);
        } catch (IllegalArgumentException e) {
            Recorder.warnOnce("bad agent option: " + e.getMessage() + "; not recording");
            return;
        }
        openJavaBase(inst);
        Map<String, String> header = new LinkedHashMap<>();
        header.put("agent.options", config.redactedRaw());
        header.put("agent.mode", attach ? "attach" : "premain");
        header.put("clock.tickMicros", Long.toString(config.tickMicros));
        header.put("stacks", config.stackMode == AgentConfig.STACKS_ALL ? "all"
                : config.stackMode == AgentConfig.STACKS_NONE ? "none" : "first");
        if (attach) {
            header.put("blindSpot.preexisting", "threads, held monitors and locks from before the attach have no"
                    + " start or acquire events; synchronized methods of classes loaded before the attach are"
                    + " seen acquired, never requested");
        }
        if (!Recorder.start(config, header)) {
            return;
        }
        AppClassTransformer app = new AppClassTransformer(config.exclude, config.dumpClasses);
        installJdkInstrumentation(inst);
        inst.addTransformer(app, true);
        if (attach) {
            retransformLoaded(inst, app);
        }
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

    private static void installJdkInstrumentation(Instrumentation inst) {
        ClassLoader adviceLoader = AgentInstaller.class.getClassLoader();
        AgentBuilder builder = new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.RedefinitionStrategy.Listener.ErrorEscalating.FAIL_LAST)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(new Failures())
                .ignore(nameStartsWith("dev.tangle.agent.").or(nameStartsWith("dev.tangle.trace."))
                        .or(nameStartsWith("dev.tangle.shaded.")).or(nameStartsWith("net.bytebuddy."))
                        .or(isSynthetic()));
        for (JdkInstrumentation i : JDK_INSTRUMENTATIONS) {
            builder = i.apply(builder, adviceLoader);
        }
        try {
            builder.installOn(inst);
        } catch (RuntimeException e) {
            Recorder.warnOnce("cannot instrument JDK classes: " + e + "; thread and park events are incomplete");
        }
    }

    private static void retransformLoaded(Instrumentation inst, AppClassTransformer app) {
        List<Class<?>> classes = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            ClassLoader l = c.getClassLoader();
            if (l != null && l != ClassLoader.getPlatformClassLoader() && inst.isModifiableClass(c)
                    && !c.isArray() && !c.isHidden() && app.isApplicationClass(c.getName().replace('.', '/'))) {
                classes.add(c);
            }
        }
        for (Class<?> c : classes) { // one by one: one failing class must not fail the others
            try {
                inst.retransformClasses(c);
            } catch (Throwable t) {
                Recorder.warnOnce("cannot retransform " + c.getName() + ": " + t);
            }
        }
    }

    /** Reports each type ByteBuddy could not instrument, once. */
    private static final class Failures extends AgentBuilder.Listener.Adapter {
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
