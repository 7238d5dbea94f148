package dev.tangle.agent.instrument;

import java.io.File;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.jar.JarFile;

/**
 * The agent's entry points. Their only job: put the bootstrap classes (hooks, recorder, trace writer) on the
 * bootstrap class path, where JDK classes can call them, then hand over to {@link AgentInstaller}. Nothing here
 * refers to a bootstrap class, so none is loaded from the wrong loader first.
 */
public final class TangleAgent {
    static final String BOOTSTRAP_JAR = "META-INF/tangle/tangle-bootstrap.jar";

    private TangleAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        start(args, inst, false);
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst, true);
    }

    private static synchronized void start(String args, Instrumentation inst, boolean attach) {
        try {
            if (!isBootstrapLoaded()) {
                inst.appendToBootstrapClassLoaderSearch(new JarFile(extractBootstrapJar()));
            }
            Class<?> installer = Class.forName(TangleAgent.class.getPackageName() + ".AgentInstaller", true,
                    TangleAgent.class.getClassLoader());
            installer.getMethod("install", String.class, Instrumentation.class, boolean.class)
                    .invoke(null, args, inst, attach);
        } catch (Throwable t) {
            Throwable cause = t instanceof java.lang.reflect.InvocationTargetException && t.getCause() != null
                    ? t.getCause() : t;
            System.err.println("tangle: agent not started: " + cause);
        }
    }

    /** True when an earlier attach already put the bootstrap classes in place. */
    private static boolean isBootstrapLoaded() {
        try {
            Class.forName("dev.tangle.agent.bootstrap.Recorder", false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static File extractBootstrapJar() throws Exception {
        try (InputStream in = TangleAgent.class.getClassLoader().getResourceAsStream(BOOTSTRAP_JAR)) {
            if (in == null) {
                throw new IllegalStateException(BOOTSTRAP_JAR + " is missing from the agent jar");
            }
            File file = File.createTempFile("tangle-bootstrap", ".jar");
            file.deleteOnExit();
            Files.copy(in, file.toPath(), StandardCopyOption.REPLACE_EXISTING);
            return file;
        }
    }
}
