package dev.tangle.agent.instrument;

import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

import java.util.HashMap;
import java.util.Map;

/**
 * First pass over a class: does it have anything to instrument, its source file, and the first line of each
 * method (a synchronized method's entry is attributed to it). Most classes have nothing and are left untouched.
 */
final class ClassScan extends ClassVisitor {
    boolean relevant;
    String sourceFile;
    final Map<String, Integer> firstLines = new HashMap<>();

    ClassScan() {
        super(Opcodes.ASM9);
    }

    @Override
    public void visitSource(String source, String debug) {
        sourceFile = source;
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                     String[] exceptions) {
        if ((access & Opcodes.ACC_SYNCHRONIZED) != 0 && (access & (Opcodes.ACC_NATIVE | Opcodes.ACC_ABSTRACT)) == 0) {
            relevant = true;
        }
        String key = name + descriptor;
        return new MethodVisitor(Opcodes.ASM9) {
            @Override
            public void visitLineNumber(int line, Label start) {
                firstLines.putIfAbsent(key, line);
            }

            @Override
            public void visitInsn(int opcode) {
                if (opcode == Opcodes.MONITORENTER || opcode == Opcodes.MONITOREXIT) {
                    relevant = true;
                }
            }

            @Override
            public void visitMethodInsn(int opcode, String owner, String name, String descriptor,
                                        boolean isInterface) {
                if (CallSiteTable.isCandidateName(name)) {
                    relevant = true; // the second pass decides per call
                }
            }
        };
    }

    int firstLine(String name, String descriptor) {
        Integer line = firstLines.get(name + descriptor);
        return line == null ? -1 : line;
    }
}
