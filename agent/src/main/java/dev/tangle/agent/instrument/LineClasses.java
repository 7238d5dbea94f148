package dev.tangle.agent.instrument;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The classes whose initialisation the code at one line may trigger: the owners of {@code new},
 * {@code getstatic}, {@code putstatic} and {@code invokestatic} at that line of the frame's method, read from the
 * class file of the frame's (loaded) class. The stall watcher asks this only for a thread stuck RUNNABLE in
 * application code (rare), so it searches the loaded classes and parses the class file each time.
 */
final class LineClasses implements Function<StackTraceElement, Class<?>[]> {
    private final Instrumentation inst;

    LineClasses(Instrumentation inst) {
        this.inst = inst;
    }

    @Override
    public Class<?>[] apply(StackTraceElement frame) {
        Class<?> owner = loaded(frame.getClassName());
        if (owner == null || frame.getLineNumber() < 0) {
            return null;
        }
        ClassLoader loader = owner.getClassLoader();
        String resource = owner.getName().replace('.', '/') + ".class";
        Set<String> names = new LinkedHashSet<>();
        try (InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(resource)
                : loader.getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            new ClassReader(in.readAllBytes()).accept(new AtLine(frame.getMethodName(), frame.getLineNumber(),
                    names), ClassReader.SKIP_FRAMES);
        } catch (Exception e) {
            return null;
        }
        List<Class<?>> classes = new ArrayList<>();
        for (String name : names) {
            try {
                classes.add(Class.forName(name.replace('/', '.'), false, loader)); // loads, never initialises
            } catch (ClassNotFoundException | LinkageError e) {
                // not loadable from here: cannot be what it waits for
            }
        }
        return classes.toArray(new Class<?>[0]);
    }

    private Class<?> loaded(String name) {
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (c.getName().equals(name) && c.getClassLoader() != null) {
                return c;
            }
        }
        return null;
    }

    /** Collects the owners of initialising instructions at one line of the methods of one name. */
    private static final class AtLine extends ClassVisitor {
        private final String method;
        private final int line;
        private final Set<String> names;

        AtLine(String method, int line, Set<String> names) {
            super(Opcodes.ASM9);
            this.method = method;
            this.line = line;
            this.names = names;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                         String[] exceptions) {
            if (!name.equals(method)) {
                return null;
            }
            return new MethodVisitor(Opcodes.ASM9) {
                private int current = -1;

                @Override
                public void visitLineNumber(int l, Label start) {
                    current = l;
                }

                @Override
                public void visitTypeInsn(int opcode, String type) {
                    if (opcode == Opcodes.NEW && current == line) {
                        names.add(type);
                    }
                }

                @Override
                public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
                    if ((opcode == Opcodes.GETSTATIC || opcode == Opcodes.PUTSTATIC) && current == line) {
                        names.add(owner);
                    }
                }

                @Override
                public void visitMethodInsn(int opcode, String owner, String name, String descriptor,
                                            boolean itf) {
                    if (opcode == Opcodes.INVOKESTATIC && current == line) {
                        names.add(owner);
                    }
                }
            };
        }
    }
}
