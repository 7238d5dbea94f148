package dev.tangle.agent.instrument;

import dev.tangle.agent.bootstrap.Recorder;
import dev.tangle.agent.bootstrap.ThreadRecorder;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Rewrites the JDK classes of the selected {@link JdkMonitorInstrumentation}s with
 * {@link ConcurrencyRewriter#forJdkClass}: their monitors only, their synchronized methods keeping the flag.
 * These classes are loaded before the agent (or may be, depending on the JDK), so they are always retransformed,
 * and the same events come out whenever the class was loaded. The hooks record nothing while the thread is inside
 * a recorded operation or the recorder itself (its busy count), so the JDK's use of these classes inside
 * a hook, and the agent's own, are never the program's.
 */
final class JdkMonitorTransformer implements ClassFileTransformer {
    static final List<JdkMonitorInstrumentation> ALL = List.of(new HashtableInstrumentation(),
            new PropertiesInstrumentation(), new VectorInstrumentation(), new StackInstrumentation(),
            new StringBufferInstrumentation(), new SynchronizedCollectionsInstrumentation());

    private final Set<String> classNames = new HashSet<>();

    /** For the names in the agent option {@code jdkMonitors} (checked by AgentConfig). */
    JdkMonitorTransformer(List<String> optionNames) {
        for (JdkMonitorInstrumentation i : ALL) {
            if (optionNames.contains(i.optionName())) {
                classNames.addAll(i.classNames());
            }
        }
    }

    boolean isEmpty() {
        return classNames.isEmpty();
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] bytes) {
        if (loader != null || className == null || !classNames.contains(className)) {
            return null;
        }
        boolean quiet = ThreadRecorder.quietBegin();
        try {
            ClassReader reader = new ClassReader(bytes);
            ClassScan scan = new ClassScan();
            reader.accept(scan, ClassReader.SKIP_FRAMES);
            if (!scan.relevant) {
                return null;
            }
            ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
            reader.accept(ConcurrencyRewriter.forJdkClass(writer, scan), ClassReader.EXPAND_FRAMES);
            return writer.toByteArray();
        } catch (Throwable t) {
            Recorder.warnOnce("cannot instrument " + className.replace('/', '.') + " (" + t
                    + "): its monitors are not recorded");
            return null;
        } finally {
            ThreadRecorder.quietEnd(quiet);
        }
    }

    /** The selected classes of this JDK, loaded now (without initialization) so they can be retransformed. */
    List<Class<?>> targets() {
        List<Class<?>> classes = new ArrayList<>();
        for (String name : classNames) {
            try {
                classes.add(Class.forName(name.replace('/', '.'), false, null));
            } catch (ClassNotFoundException | LinkageError e) {
                // not in this JDK
            }
        }
        return classes;
    }

    /** Adds this transformer and rewrites the targets, one by one (one failing class must not fail the others). */
    void install(Instrumentation inst) {
        inst.addTransformer(this, true);
        retransform(inst);
    }

    /** Takes the rewriting out again: the targets go back to their original code. */
    void uninstall(Instrumentation inst) {
        inst.removeTransformer(this);
        retransform(inst);
    }

    private void retransform(Instrumentation inst) {
        for (Class<?> c : targets()) {
            try {
                inst.retransformClasses(c);
            } catch (Throwable t) {
                Recorder.warnOnce("cannot retransform " + c.getName() + ": " + t + "; its monitors are not recorded");
            }
        }
    }
}
