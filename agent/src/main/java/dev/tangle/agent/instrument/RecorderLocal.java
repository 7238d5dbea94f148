package dev.tangle.agent.instrument;

import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

import java.util.ArrayList;
import java.util.List;

/**
 * The local variable in which a rewritten method keeps its thread's recorder, so that the monitor and lock hooks
 * of one invocation look the recorder up once instead of once per operation (a thread-local lookup is about a
 * third of an uncontended hook's cost). The hooks take the local's value and hand back the recorder they used,
 * which the call site stores; null means "look it up". Nothing can make a recorder that was right for an
 * invocation wrong later in it: a thread has one recorder, a recording happens once per JVM, and the hooks check
 * that recording has not stopped.
 *
 * <p>Placed last before the class writer: it sets the local to null before the method's first instruction (and
 * before any code the other rewriters put at the start), adds it after every other local of every stack map
 * frame, and reserves its slot. Used only for class files of version 51 (Java 7) and later, which have frames and
 * no {@code jsr}.
 */
final class RecorderLocal extends MethodVisitor {
    static final String TYPE = "dev/tangle/agent/bootstrap/ThreadRecorder";

    private final int slot;

    /** {@code slot}: one past every local the method has, and past the monitor local a rewrite may add. */
    RecorderLocal(MethodVisitor mv, int slot) {
        super(Opcodes.ASM9, mv);
        this.slot = slot;
    }

    @Override
    public void visitCode() {
        super.visitCode();
        super.visitInsn(Opcodes.ACONST_NULL);
        super.visitVarInsn(Opcodes.ASTORE, slot);
    }

    @Override
    public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
        if (type != Opcodes.F_NEW) { // frames are read expanded (ClassReader.EXPAND_FRAMES)
            super.visitFrame(type, numLocal, local, numStack, stack);
            return;
        }
        List<Object> out = new ArrayList<>(numLocal + 2);
        int slots = 0;
        for (int i = 0; i < numLocal; i++) {
            Object l = local[i];
            out.add(l);
            slots += l == Opcodes.LONG || l == Opcodes.DOUBLE ? 2 : 1;
        }
        while (slots < slot) {
            out.add(Opcodes.TOP);
            slots++;
        }
        out.add(TYPE);
        super.visitFrame(type, out.size(), out.toArray(), numStack, stack);
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
        super.visitMaxs(maxStack, Math.max(maxLocals, slot + 1));
    }
}
