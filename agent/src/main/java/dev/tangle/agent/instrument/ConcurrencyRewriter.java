package dev.tangle.agent.instrument;

import dev.tangle.agent.bootstrap.Tables;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

import java.util.ArrayList;
import java.util.List;

/**
 * Second pass over an application class: records monitors and the program's concurrency calls.
 *
 * <ul>
 *   <li>{@code monitorenter}: {@code MonitorHooks.enter} before it (the request, before the thread may block),
 *   {@code MonitorHooks.entered} right after it, placed after the label that starts javac's catch-all range so
 *   HotSpot's structured-locking check still holds; {@code monitorexit}: {@code MonitorHooks.exit} before it.</li>
 *   <li>A synchronized method, at first load: the flag is removed and the body wrapped in
 *   {@code monitorenter}/{@code monitorexit} on {@code this} (or the class) with a catch-all handler that covers
 *   itself, as javac does for blocks, so the request is seen before blocking. When retransforming (the class was
 *   loaded before an attach) modifiers cannot change: the entry is recorded as acquired, without a request.</li>
 *   <li>Calls listed in {@link CallSiteTable}: replaced by the static hook, with the site id as last argument.</li>
 * </ul>
 * Original stack map frames stay valid (no inserted value lives across a frame); the one new handler gets a
 * full frame of its own, so no class has to be loaded to compute frames.
 */
final class ConcurrencyRewriter extends ClassVisitor {
    private static final String RECORDER_DESC = "Ldev/tangle/agent/bootstrap/ThreadRecorder;";

    private final ClassScan scan;
    private final boolean retransforming;
    private final ClassLoader loader;
    private String internalName;
    private String className;
    private int version;

    ConcurrencyRewriter(ClassVisitor next, ClassScan scan, boolean retransforming, ClassLoader loader) {
        super(Opcodes.ASM9, next);
        this.scan = scan;
        this.retransforming = retransforming;
        this.loader = loader;
    }

    @Override
    public void visit(int version, int access, String name, String signature, String superName,
                      String[] interfaces) {
        this.version = version & 0xFFFF;
        this.internalName = name;
        this.className = name.replace('/', '.');
        super.visit(version, access, name, signature, superName, interfaces);
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                     String[] exceptions) {
        boolean sync = (access & Opcodes.ACC_SYNCHRONIZED) != 0
                && (access & (Opcodes.ACC_NATIVE | Opcodes.ACC_ABSTRACT)) == 0
                && version >= Opcodes.V1_5; // ldc of a class constant needs 49+
        int written = sync && !retransforming ? access & ~Opcodes.ACC_SYNCHRONIZED : access;
        MethodVisitor mv = super.visitMethod(written, name, descriptor, signature, exceptions);
        if (mv == null) {
            return null;
        }
        if (sync) {
            // the body's own instructions are rewritten first; the method's monitor code goes straight out
            int line = scan.firstLine(name, descriptor);
            int site = Tables.frame(className, name, scan.sourceFile, line);
            boolean isStatic = (access & Opcodes.ACC_STATIC) != 0;
            mv = new SynchronizedMethod(mv, isStatic, descriptor, site);
        }
        return new BodyRewriter(mv, name);
    }

    private int site(String method, int line) {
        return Tables.frame(className, method, scan.sourceFile, line);
    }

    /** Rewrites monitorenter/monitorexit and the calls of {@link CallSiteTable} inside one method. */
    private final class BodyRewriter extends MethodVisitor {
        private final String method;
        private int line = -1;
        /** A monitorenter was just emitted; {@code entered} is still to come, after the next label. */
        private boolean enteredPending;

        BodyRewriter(MethodVisitor mv, String method) {
            super(Opcodes.ASM9, mv);
            this.method = method;
        }

        private void flushEntered() {
            if (enteredPending) {
                enteredPending = false;
                super.visitMethodInsn(Opcodes.INVOKESTATIC, CallSiteTable.MONITOR_HOOKS, "entered",
                        "(" + RECORDER_DESC + ")V", false);
            }
        }

        @Override
        public void visitLabel(Label label) {
            super.visitLabel(label);
            flushEntered(); // javac's catch-all range starts at this label: the call is inside it
        }

        @Override
        public void visitLineNumber(int line, Label start) {
            this.line = line;
            super.visitLineNumber(line, start);
        }

        @Override
        public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
            flushEntered();
            super.visitFrame(type, numLocal, local, numStack, stack);
        }

        @Override
        public void visitInsn(int opcode) {
            flushEntered();
            if (opcode == Opcodes.MONITORENTER) {
                // [obj] -> dup, site, enter -> [obj, recorder] -> swap -> [recorder, obj] -> monitorenter -> [recorder]
                super.visitInsn(Opcodes.DUP);
                pushInt(site(method, line));
                super.visitMethodInsn(Opcodes.INVOKESTATIC, CallSiteTable.MONITOR_HOOKS, "enter",
                        "(Ljava/lang/Object;I)" + RECORDER_DESC, false);
                super.visitInsn(Opcodes.SWAP);
                super.visitInsn(Opcodes.MONITORENTER);
                enteredPending = true;
                return;
            }
            if (opcode == Opcodes.MONITOREXIT) {
                super.visitInsn(Opcodes.DUP);
                pushInt(site(method, line));
                super.visitMethodInsn(Opcodes.INVOKESTATIC, CallSiteTable.MONITOR_HOOKS, "exit",
                        "(Ljava/lang/Object;I)V", false);
            }
            super.visitInsn(opcode);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean itf) {
            flushEntered();
            CallSiteTable.Hook hook = CallSiteTable.isCandidateName(name) ? hookFor(opcode, owner, name, descriptor)
                    : null;
            if (hook == null) {
                super.visitMethodInsn(opcode, owner, name, descriptor, itf);
                return;
            }
            pushInt(site(method, line));
            super.visitMethodInsn(Opcodes.INVOKESTATIC, hook.owner(), hook.name(), hook.descriptor(descriptor),
                    false);
        }

        private CallSiteTable.Hook hookFor(int opcode, String owner, String name, String descriptor) {
            if (opcode == Opcodes.INVOKESTATIC) {
                return "java/lang/Thread".equals(owner)
                        ? CallSiteTable.find(CallSiteTable.Receiver.THREAD_STATIC, name, descriptor) : null;
            }
            if (opcode != Opcodes.INVOKEVIRTUAL && opcode != Opcodes.INVOKEINTERFACE) {
                return null; // invokespecial: super calls inside a lock implementation stay as they are
            }
            CallSiteTable.Hook any = CallSiteTable.find(CallSiteTable.Receiver.ANY_OBJECT, name, descriptor);
            if (any != null) {
                return any;
            }
            CallSiteTable.Receiver kind = OwnerKinds.of(owner, loader);
            if (kind == null || kind == CallSiteTable.Receiver.THREAD_STATIC) {
                return null;
            }
            return CallSiteTable.find(kind, name, descriptor);
        }

        // every other instruction first emits a pending 'entered'
        @Override
        public void visitIntInsn(int opcode, int operand) {
            flushEntered();
            super.visitIntInsn(opcode, operand);
        }

        @Override
        public void visitVarInsn(int opcode, int var) {
            flushEntered();
            super.visitVarInsn(opcode, var);
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            flushEntered();
            super.visitTypeInsn(opcode, type);
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
            flushEntered();
            super.visitFieldInsn(opcode, owner, name, descriptor);
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String descriptor, net.bytebuddy.jar.asm.Handle bsm,
                                           Object... bsmArgs) {
            flushEntered();
            super.visitInvokeDynamicInsn(name, descriptor, bsm, bsmArgs);
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            flushEntered();
            super.visitJumpInsn(opcode, label);
        }

        @Override
        public void visitLdcInsn(Object value) {
            flushEntered();
            super.visitLdcInsn(value);
        }

        @Override
        public void visitIincInsn(int var, int increment) {
            flushEntered();
            super.visitIincInsn(var, increment);
        }

        @Override
        public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
            flushEntered();
            super.visitTableSwitchInsn(min, max, dflt, labels);
        }

        @Override
        public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
            flushEntered();
            super.visitLookupSwitchInsn(dflt, keys, labels);
        }

        @Override
        public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
            flushEntered();
            super.visitMultiANewArrayInsn(descriptor, numDimensions);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            flushEntered();
            super.visitMaxs(maxStack, maxLocals);
        }

        private void pushInt(int v) {
            if (v >= -1 && v <= 5) {
                super.visitInsn(Opcodes.ICONST_0 + v);
            } else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
                super.visitIntInsn(Opcodes.BIPUSH, v);
            } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
                super.visitIntInsn(Opcodes.SIPUSH, v);
            } else {
                super.visitLdcInsn(v);
            }
        }
    }

    /**
     * Wraps a synchronized method's body: at first load with an explicit monitor (the flag is removed), when
     * retransforming with hooks only (the JVM still takes the monitor).
     */
    private final class SynchronizedMethod extends MethodVisitor {
        private final boolean isStatic;
        private final String descriptor;
        private final int site;
        private final Label tryStart = new Label();
        private final Label handler = new Label();
        private final Label handlerEnd = new Label();

        SynchronizedMethod(MethodVisitor mv, boolean isStatic, String descriptor, int site) {
            super(Opcodes.ASM9, mv);
            this.isStatic = isStatic;
            this.descriptor = descriptor;
            this.site = site;
        }

        private void pushMonitor() {
            if (isStatic) {
                super.visitLdcInsn(Type.getObjectType(internalName));
            } else {
                super.visitVarInsn(Opcodes.ALOAD, 0);
            }
        }

        private void pushSite() {
            super.visitLdcInsn(site);
        }

        @Override
        public void visitCode() {
            super.visitCode();
            if (retransforming) {
                pushMonitor();
                pushSite();
                super.visitMethodInsn(Opcodes.INVOKESTATIC, CallSiteTable.MONITOR_HOOKS, "enteredMethod",
                        "(Ljava/lang/Object;I)V", false);
                super.visitLabel(tryStart);
                return;
            }
            pushMonitor();
            super.visitInsn(Opcodes.DUP);
            pushSite();
            super.visitMethodInsn(Opcodes.INVOKESTATIC, CallSiteTable.MONITOR_HOOKS, "enter",
                    "(Ljava/lang/Object;I)" + RECORDER_DESC, false);
            super.visitInsn(Opcodes.SWAP);
            super.visitInsn(Opcodes.MONITORENTER);
            super.visitLabel(tryStart);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, CallSiteTable.MONITOR_HOOKS, "entered",
                    "(" + RECORDER_DESC + ")V", false);
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
                releaseMonitor();
            }
            super.visitInsn(opcode);
        }

        private void releaseMonitor() {
            pushMonitor();
            if (!retransforming) {
                super.visitInsn(Opcodes.DUP);
            }
            pushSite();
            super.visitMethodInsn(Opcodes.INVOKESTATIC, CallSiteTable.MONITOR_HOOKS, "exit",
                    "(Ljava/lang/Object;I)V", false);
            if (!retransforming) {
                super.visitInsn(Opcodes.MONITOREXIT);
            }
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            // catch-all: release and rethrow; it covers itself, like javac's handler for synchronized blocks
            super.visitLabel(handler);
            Object[] locals = initialLocals();
            super.visitFrame(Opcodes.F_FULL, locals.length, locals, 1, new Object[] {"java/lang/Throwable"});
            releaseMonitor();
            super.visitLabel(handlerEnd);
            super.visitInsn(Opcodes.ATHROW);
            super.visitTryCatchBlock(tryStart, handler, handler, null);
            if (!retransforming) {
                super.visitTryCatchBlock(handler, handlerEnd, handler, null);
            }
            super.visitMaxs(Math.max(maxStack, 4), maxLocals);
        }

        /** The frame's locals at method entry: this (if any) and the parameters. */
        private Object[] initialLocals() {
            List<Object> locals = new ArrayList<>();
            if (!isStatic) {
                locals.add(internalName);
            }
            for (Type t : Type.getArgumentTypes(descriptor)) {
                switch (t.getSort()) {
                    case Type.BOOLEAN, Type.BYTE, Type.CHAR, Type.SHORT, Type.INT -> locals.add(Opcodes.INTEGER);
                    case Type.FLOAT -> locals.add(Opcodes.FLOAT);
                    case Type.LONG -> locals.add(Opcodes.LONG);
                    case Type.DOUBLE -> locals.add(Opcodes.DOUBLE);
                    case Type.ARRAY -> locals.add(t.getDescriptor());
                    default -> locals.add(t.getInternalName());
                }
            }
            return locals.toArray();
        }
    }
}
