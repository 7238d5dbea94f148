package dev.tangle.agent.instrument;

import dev.tangle.agent.bootstrap.Recorder;
import dev.tangle.agent.bootstrap.ThreadRecorder;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;

/**
 * Rewrites application classes (any class not of the bootstrap or platform loader, and not Tangle's own) with
 * {@link ConcurrencyRewriter}. A class with nothing to record is returned unchanged. A class that cannot be
 * rewritten is loaded as it is, and the problem reported once: the program always runs.
 */
final class AppClassTransformer implements ClassFileTransformer {
    private static final String[] NEVER = {"dev/tangle/agent/", "dev/tangle/trace/", "dev/tangle/shaded/",
            "java/", "javax/", "jdk/", "sun/", "com/sun/"};

    private final String[] excluded;
    private final String dumpDir;

    AppClassTransformer(String excludeOption, String dumpDir) {
        this.dumpDir = dumpDir;
        this.excluded = excludeOption.isEmpty() ? new String[0]
                : excludeOption.replace('.', '/').split(";");
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] bytes) {
        if (loader == null || className == null || loader == ClassLoader.getPlatformClassLoader()
                || !isApplicationClass(className)) {
            return null;
        }
        boolean quiet = ThreadRecorder.quietBegin(); // reading other class files goes through JDK monitors
        try {
            ClassReader reader = new ClassReader(bytes);
            ClassScan scan = new ClassScan();
            reader.accept(scan, ClassReader.SKIP_FRAMES);
            if (!scan.relevant) {
                return null;
            }
            ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
            reader.accept(new ConcurrencyRewriter(writer, scan, classBeingRedefined != null, loader),
                    ClassReader.EXPAND_FRAMES);
            byte[] rewritten = writer.toByteArray();
            if (!dumpDir.isEmpty()) {
                java.nio.file.Path file = java.nio.file.Path.of(dumpDir, className + ".class");
                java.nio.file.Files.createDirectories(file.getParent());
                java.nio.file.Files.write(file, rewritten);
            }
            return rewritten;
        } catch (Throwable t) {
            Recorder.warnOnce("cannot instrument " + className.replace('/', '.') + " (" + t
                    + "): its locks are not recorded");
            return null;
        } finally {
            ThreadRecorder.quietEnd(quiet);
        }
    }

    boolean isApplicationClass(String className) {
        for (String prefix : NEVER) {
            if (className.startsWith(prefix)) {
                return false;
            }
        }
        for (String prefix : excluded) {
            if (!prefix.isEmpty() && className.startsWith(prefix)) {
                return false;
            }
        }
        return true;
    }
}
