package dev.tangle.agent.instrument;

import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * First pass over a class: does it have anything to instrument, its source file, and the first line of each
 * method (a synchronized method's entry is attributed to it). Most classes have nothing and are left untouched.
 */
final class ClassScan extends ClassVisitor {
    boolean relevant;
    String sourceFile;
    final Map<String, Integer> firstLines = new HashMap<>();
    /**
     * Per method: for each monitorenter (in order), the index in the exception table of the catch-all entry
     * whose range starts right after it (javac's pattern), or -1.
     */
    final Map<String, int[]> monitorRanges = new HashMap<>();
    final Map<String, Integer> maxLocals = new HashMap<>();
    /** Per method and exception-table entry: whether the entry's range contains its own handler. */
    final Map<String, boolean[]> coversOwnHandler = new HashMap<>();
    /**
     * Per method and exception-table entry: for a catch-all handler of javac's shape
     * ({@code astore e; aload m; monitorexit; ...}), the local m holding the monitor, else -1.
     */
    final Map<String, int[]> handlerMonitorLocals = new HashMap<>();
    /** Methods whose hooks take the thread's recorder from a local ({@link RecorderLocal}): monitors, lock(), unlock(). */
    final java.util.Set<String> usesRecorder = new java.util.HashSet<>();

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
        String key = name + descriptor;
        if ((access & Opcodes.ACC_SYNCHRONIZED) != 0 && (access & (Opcodes.ACC_NATIVE | Opcodes.ACC_ABSTRACT)) == 0) {
            relevant = true;
            usesRecorder.add(key);
        }
        if (name.equals("<clinit>")) {
            relevant = true; // its start and end are recorded (ClassInitRecorder)
        }
        return new MethodVisitor(Opcodes.ASM9) {
            private final List<Label> catchAllStarts = new ArrayList<>();
            private final List<Label> handlers = new ArrayList<>();
            private final List<Label[]> entries = new ArrayList<>();
            private final Map<Label, Integer> labelOrder = new HashMap<>();
            private final List<Integer> ranges = new ArrayList<>();
            private int[] handlerLocals;
            private boolean afterMonitorEnter;
            /** Matching javac's handler shape: the handler being read and how far (0 none, 1 astore, 2 aload). */
            private Label shapeHandler;
            private int shapeStep;
            private int shapeLocal;

            @Override
            public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
                catchAllStarts.add(type == null ? start : null);
                handlers.add(type == null ? handler : null);
                entries.add(new Label[] {start, end, handler});
            }

            @Override
            public void visitLabel(Label label) {
                labelOrder.putIfAbsent(label, labelOrder.size());
                if (afterMonitorEnter) {
                    afterMonitorEnter = false;
                    ranges.set(ranges.size() - 1, catchAllStarts.indexOf(label));
                }
                if (handlers.contains(label)) {
                    shapeHandler = label;
                    shapeStep = 0;
                }
            }

            @Override
            public void visitVarInsn(int opcode, int var) {
                afterMonitorEnter = false;
                if (shapeHandler != null && shapeStep == 0 && opcode == Opcodes.ASTORE) {
                    shapeStep = 1;
                } else if (shapeHandler != null && shapeStep == 1 && opcode == Opcodes.ALOAD) {
                    shapeStep = 2;
                    shapeLocal = var;
                } else {
                    shapeHandler = null;
                }
            }

            @Override
            public void visitLineNumber(int line, Label start) {
                firstLines.putIfAbsent(key, line);
            }

            @Override
            public void visitInsn(int opcode) {
                afterMonitorEnter = false;
                if (shapeHandler != null && shapeStep == 2 && opcode == Opcodes.MONITOREXIT) {
                    if (handlerLocals == null) {
                        handlerLocals = new int[handlers.size()];
                        java.util.Arrays.fill(handlerLocals, -1);
                    }
                    for (int i = 0; i < handlers.size(); i++) {
                        if (handlers.get(i) == shapeHandler) {
                            handlerLocals[i] = shapeLocal;
                        }
                    }
                }
                shapeHandler = null;
                if (opcode == Opcodes.MONITORENTER) {
                    ranges.add(-1);
                    afterMonitorEnter = true;
                }
                if (opcode == Opcodes.MONITORENTER || opcode == Opcodes.MONITOREXIT) {
                    relevant = true;
                    usesRecorder.add(key);
                }
            }

            @Override
            public void visitMethodInsn(int opcode, String owner, String name, String descriptor,
                                        boolean isInterface) {
                afterMonitorEnter = false;
                shapeHandler = null;
                if (CallSiteTable.isCandidate(name, descriptor)) {
                    relevant = true; // the second pass decides per call
                    if (CallSiteTable.takesRecorder(name, descriptor)) {
                        usesRecorder.add(key);
                    }
                }
            }

            @Override
            public void visitMaxs(int maxStack, int locals) {
                maxLocals.put(key, locals);
            }

            @Override
            public void visitEnd() {
                if (!ranges.isEmpty()) {
                    monitorRanges.put(key, ranges.stream().mapToInt(Integer::intValue).toArray());
                }
                if (handlerLocals != null) {
                    handlerMonitorLocals.put(key, handlerLocals);
                }
                boolean[] covers = new boolean[entries.size()];
                for (int i = 0; i < covers.length; i++) {
                    Label[] e = entries.get(i);
                    int start = labelOrder.getOrDefault(e[0], -1);
                    int end = labelOrder.getOrDefault(e[1], -1);
                    int handler = labelOrder.getOrDefault(e[2], -1);
                    covers[i] = start <= handler && handler < end;
                }
                coversOwnHandler.put(key, covers);
            }
        };
    }

    int[] monitorRanges(String name, String descriptor) {
        return monitorRanges.getOrDefault(name + descriptor, new int[0]);
    }

    int[] handlerMonitorLocals(String name, String descriptor) {
        return handlerMonitorLocals.getOrDefault(name + descriptor, new int[0]);
    }

    boolean[] coversOwnHandler(String name, String descriptor) {
        return coversOwnHandler.getOrDefault(name + descriptor, new boolean[0]);
    }

    int maxLocals(String name, String descriptor) {
        return maxLocals.getOrDefault(name + descriptor, 0);
    }

    boolean usesRecorder(String name, String descriptor) {
        return usesRecorder.contains(name + descriptor);
    }

    int firstLine(String name, String descriptor) {
        Integer line = firstLines.get(name + descriptor);
        return line == null ? -1 : line;
    }
}
