package dev.tangle.agent.instrument;

import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Records the start and the end of an application class's static initialiser ({@code <clinit>}), at its first
 * load: {@code ClassInitHooks.begin} on entry, {@code ClassInitHooks.end} before each return, and a catch-all
 * handler over the whole body that records a failed end and rethrows. The class object is an {@code ldc} of the
 * class itself (class files of version 49 and later). Retransformed classes are initialised already: left alone.
 */
final class ClassInitRecorder extends MethodVisitor {
    private static final String HOOKS = CallSiteTable.BOOT + "ClassInitHooks";

    private final Type type;
    private final int site;
    private final boolean frames;
    private final Label start = new Label();

    ClassInitRecorder(MethodVisitor mv, String internalName, int site, boolean frames) {
        super(Opcodes.ASM9, mv);
        this.type = Type.getObjectType(internalName);
        this.site = site;
        this.frames = frames;
    }

    @Override
    public void visitCode() {
        super.visitCode();
        super.visitLdcInsn(type);
        super.visitLdcInsn(site);
        super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "begin", "(Ljava/lang/Class;I)V", false);
        super.visitLabel(start);
    }

    @Override
    public void visitInsn(int opcode) {
        if (opcode == Opcodes.RETURN) {
            end(false);
        }
        super.visitInsn(opcode);
    }

    private void end(boolean failed) {
        super.visitLdcInsn(type);
        super.visitInsn(failed ? Opcodes.ICONST_1 : Opcodes.ICONST_0);
        super.visitLdcInsn(site);
        super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "end", "(Ljava/lang/Class;ZI)V", false);
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
        Label handler = new Label();
        super.visitLabel(handler);
        if (frames) {
            super.visitFrame(Opcodes.F_NEW, 0, new Object[0], 1, new Object[] {"java/lang/Throwable"});
        }
        end(true);
        super.visitInsn(Opcodes.ATHROW);
        super.visitTryCatchBlock(start, handler, handler, null);
        super.visitMaxs(maxStack, maxLocals);
    }
}
