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
 *
 * <p>A class file older than version 49 (Java 5) is raised to 49 at first load, so that a static synchronized
 * method can load its class with {@code ldc}; 49 still needs no stack map frames and allows everything older
 * files contain ({@code jsr}/{@code ret} included). When retransforming, the version stays: the instance methods
 * of such a class are recorded ({@code aload_0} is their monitor), its static synchronized methods are not.
 *
 * <p>For a JDK class ({@link #forJdkClass}) only monitors are recorded: its calls are not the program's, and its
 * synchronized methods always keep their flag (the class is loaded before the agent, or may be reset on detach).
 */
final class ConcurrencyRewriter extends ClassVisitor {
    private static final String RECORDER_DESC = "Ldev/tangle/agent/bootstrap/ThreadRecorder;";

    private final ClassScan scan;
    private final boolean retransforming;
    private final ClassLoader loader;
    /** Only monitors (a JDK class): no call-site hooks. */
    private final boolean monitorsOnly;
    private String internalName;
    private String className;
    private int version;

    ConcurrencyRewriter(ClassVisitor next, ClassScan scan, boolean retransforming, ClassLoader loader) {
        this(next, scan, retransforming, loader, false);
    }

    private ConcurrencyRewriter(ClassVisitor next, ClassScan scan, boolean retransforming, ClassLoader loader,
                                boolean monitorsOnly) {
        super(Opcodes.ASM9, next);
        this.scan = scan;
        this.retransforming = retransforming;
        this.loader = loader;
        this.monitorsOnly = monitorsOnly;
    }

    /** Monitors only, synchronized methods hooked with their flag kept (see the class comment). */
    static ConcurrencyRewriter forJdkClass(ClassVisitor next, ClassScan scan) {
        return new ConcurrencyRewriter(next, scan, true, null, true);
    }

    @Override
    public void visit(int version, int access, String name, String signature, String superName,
                      String[] interfaces) {
        this.version = version & 0xFFFF;
        if (this.version < Opcodes.V1_5 && !retransforming) {
            this.version = Opcodes.V1_5;
            version = Opcodes.V1_5; // minor version 0
        }
        this.internalName = name;
        this.className = name.replace('/', '.');
        super.visit(version, access, name, signature, superName, interfaces);
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                     String[] exceptions) {
        boolean sync = (access & Opcodes.ACC_SYNCHRONIZED) != 0
                && (access & (Opcodes.ACC_NATIVE | Opcodes.ACC_ABSTRACT)) == 0
                && (version >= Opcodes.V1_5 || (access & Opcodes.ACC_STATIC) == 0); // ldc of a class needs 49+
        int written = sync && !retransforming ? access & ~Opcodes.ACC_SYNCHRONIZED : access;
        MethodVisitor mv = super.visitMethod(written, name, descriptor, signature, exceptions);
        if (mv == null) {
            return null;
        }
        int maxLocals = scan.maxLocals(name, descriptor);
        // past the monitor local a static synchronized method may get (SynchronizedMethod)
        int recorder = version >= Opcodes.V1_7 && scan.usesRecorder(name, descriptor) ? maxLocals + 1 : -1;
        if (recorder >= 0) {
            mv = new RecorderLocal(mv, recorder);
        }
        if (name.equals("<clinit>") && !retransforming && version >= Opcodes.V1_5) {
            mv = new ClassInitRecorder(mv, internalName, site(name, scan.firstLine(name, descriptor)),
                    version >= Opcodes.V1_6);
        }
        if (sync) {
            // the body's own instructions are rewritten first; the method's monitor code goes straight out
            int line = scan.firstLine(name, descriptor);
            int site = Tables.frame(className, name, scan.sourceFile, line);
            boolean isStatic = (access & Opcodes.ACC_STATIC) != 0;
            mv = new SynchronizedMethod(mv, isStatic, descriptor, site, maxLocals, recorder);
        }
        return new BodyRewriter(mv, name, scan.monitorRanges(name, descriptor),
                scan.handlerMonitorLocals(name, descriptor), scan.coversOwnHandler(name, descriptor), recorder);
    }

    private int site(String method, int line) {
        return Tables.frame(className, method, scan.sourceFile, line);
    }

    /**
     * Calls {@code MonitorHooks.<hook>} on the arguments on the stack ({@code enter}, {@code enteredMethod}: the
     * monitor and the site; {@code exit}: the same; {@code exitByException}: the site). In a method with a
     * {@link RecorderLocal} ({@code recorder} >= 0) the hook also takes the local, and {@code enter} and
     * {@code enteredMethod} hand back the recorder they used, stored into it ({@code enter}'s stays on the stack
     * for {@code entered}, as without the local).
     */
    private static void callMonitorHook(MethodVisitor next, String hook, int recorder) {
        String args = hook.equals("exitByException") ? "I" : "Ljava/lang/Object;I";
        boolean enter = hook.equals("enter");
        if (recorder < 0) {
            next.visitMethodInsn(Opcodes.INVOKESTATIC, CallSiteTable.MONITOR_HOOKS, hook,
                    "(" + args + ")" + (enter ? RECORDER_DESC : "V"), false);
            return;
        }
        boolean returnsRecorder = enter || hook.equals("enteredMethod");
        next.visitVarInsn(Opcodes.ALOAD, recorder);
        next.visitMethodInsn(Opcodes.INVOKESTATIC, CallSiteTable.MONITOR_HOOKS, hook,
                "(" + args + RECORDER_DESC + ")" + (returnsRecorder ? RECORDER_DESC : "V"), false);
        if (enter) {
            next.visitInsn(Opcodes.DUP);
        }
        if (returnsRecorder) {
            next.visitVarInsn(Opcodes.ASTORE, recorder);
        }
    }

    /**
     * Rewrites monitorenter/monitorexit and the calls of {@link CallSiteTable} inside one method.
     *
     * <p>For a javac-style synchronized block ({@code monitorenter}, then a catch-all range whose handler H
     * releases the monitor and covers itself), HotSpot's compilers impose two rules: a call between
     * monitorenter and monitorexit must be covered by a handler that releases the monitor, and C1 gives up on a
     * handler whose own block holds a call it covers. So:
     * <ul>
     *   <li>{@code entered} goes right after monitorenter, in front of javac's range (whose start may be a loop's
     *   branch target), and</li>
     *   <li>each catch-all range handled by H gets a twin, listed just before it, handled by a small handler of
     *   ours placed right before H (so inside the same enclosing try blocks of the program) that records the
     *   release ({@code exitByException}), releases the monitor from javac's local and rethrows. Ours is covered
     *   by H (never by itself), and H, now reached only if our call fails, stays as javac wrote it. (C1 also
     *   refuses a handler reached by normal flow, so nothing jumps to H.)</li>
     * </ul>
     * A handler not of javac's shape keeps a hooked monitorexit: correct, but C1 may not compile the method.
     */
    private final class BodyRewriter extends MethodVisitor {
        private final String method;
        private final int[] monitorRanges;
        private final List<Label> javacHandlers = new ArrayList<>();
        private final List<Label> ourHandlers = new ArrayList<>();
        private final List<Label> ourHandlerEnds = new ArrayList<>();
        private final List<Object> heldLines = new ArrayList<>();
        private final List<Label> beforeOurHandlers = new ArrayList<>();
        private final List<Label[]> pendingEntries = new ArrayList<>();
        private final List<String> pendingTypes = new ArrayList<>();
        private Label heldLabel;
        private int heldHandler;
        private final List<Integer> handlerSites = new ArrayList<>();
        private final List<Integer> monitorLocals = new ArrayList<>();
        private final int[] entryMonitorLocals;
        private final boolean[] coversOwnHandler;
        private final Label[] enteredStarts;
        private final int[] handlerOfMonitor;
        private int tryCatchIndex;
        private int monitorIndex;
        private int line = -1;
        private boolean inJavacHandler;
        /** The {@link RecorderLocal}'s slot, or -1: the hooks then look the recorder up themselves. */
        private final int recorder;

        BodyRewriter(MethodVisitor mv, String method, int[] monitorRanges, int[] entryMonitorLocals,
                     boolean[] coversOwnHandler, int recorder) {
            super(Opcodes.ASM9, mv);
            this.recorder = recorder;
            this.coversOwnHandler = coversOwnHandler;
            this.entryMonitorLocals = entryMonitorLocals;
            this.method = method;
            this.monitorRanges = monitorRanges;
            this.enteredStarts = new Label[monitorRanges.length];
            this.handlerOfMonitor = new int[monitorRanges.length];
            java.util.Arrays.fill(handlerOfMonitor, -1);
        }

        @Override
        public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
            // ASM visits every entry before the code: collect them, rewrite the table as a whole
            pendingEntries.add(new Label[] {start, end, handler});
            pendingTypes.add(type);
        }

        @Override
        public net.bytebuddy.jar.asm.AnnotationVisitor visitTryCatchAnnotation(int typeRef, net.bytebuddy.jar.asm.TypePath typePath,
                                            String descriptor, boolean visible) {
            flushTryCatchBlocks(); // an annotation belongs to the entry just visited
            return super.visitTryCatchAnnotation(typeRef, typePath, descriptor, visible);
        }

        /** Writes the collected exception table with our entries added (see the class comment). */
        private void flushTryCatchBlocks() {
            if (pendingEntries.isEmpty()) {
                return;
            }
            int first = tryCatchIndex;
            for (int i = 0; i < pendingEntries.size(); i++) {
                int index = first + i;
                int monitorLocal = index < entryMonitorLocals.length ? entryMonitorLocals[index] : -1;
                Label handler = pendingEntries.get(i)[2];
                for (int k = 0; k < monitorRanges.length; k++) {
                    if (monitorRanges[k] != index) {
                        continue;
                    }
                    enteredStarts[k] = new Label();
                    int h = javacHandlers.indexOf(handler);
                    if (h < 0 && monitorLocal >= 0) {
                        h = javacHandlers.size();
                        javacHandlers.add(handler);
                        ourHandlers.add(new Label());
                        ourHandlerEnds.add(new Label());
                        beforeOurHandlers.add(new Label());
                        handlerSites.add(0);
                        monitorLocals.add(monitorLocal);
                    }
                    handlerOfMonitor[k] = h;
                }
            }
            boolean[] coveredOurs = new boolean[javacHandlers.size()];
            for (int i = 0; i < pendingEntries.size(); i++) {
                int index = first + i;
                Label start = pendingEntries.get(i)[0];
                Label end = pendingEntries.get(i)[1];
                Label handler = pendingEntries.get(i)[2];
                String type = pendingTypes.get(i);
                int endsAt = javacHandlers.indexOf(end);
                if (endsAt >= 0) {
                    end = beforeOurHandlers.get(endsAt); // our handler goes between: keep it out of the range
                }
                int h = type == null && start != handler ? javacHandlers.indexOf(handler) : -1;
                if (h >= 0) {
                    Label twinStart = start;
                    for (int k = 0; k < monitorRanges.length; k++) {
                        if (monitorRanges[k] == index) {
                            twinStart = enteredStarts[k];
                        }
                    }
                    // javac merges body and handler into one entry when the body cannot complete normally
                    boolean merged = index < coversOwnHandler.length && coversOwnHandler[index];
                    super.visitTryCatchBlock(twinStart, merged ? beforeOurHandlers.get(h) : end, ourHandlers.get(h),
                            null);
                    if (!coveredOurs[h]) {
                        coveredOurs[h] = true; // ours is covered by H, ahead of the program's enclosing tries
                        super.visitTryCatchBlock(ourHandlers.get(h), ourHandlerEnds.get(h), handler, null);
                    }
                    if (merged) {
                        // the merged entry, minus our handler: its rethrow must leave, not re-enter H
                        super.visitTryCatchBlock(start, beforeOurHandlers.get(h), handler, type);
                        super.visitTryCatchBlock(handler, end, handler, type);
                        continue;
                    }
                }
                super.visitTryCatchBlock(start, end, handler, type);
            }
            tryCatchIndex += pendingEntries.size();
            pendingEntries.clear();
            pendingTypes.clear();
        }

        @Override
        public void visitLabel(Label label) {
            flushTryCatchBlocks();
            int h = javacHandlers.indexOf(label);
            if (h >= 0) {
                if (version >= Opcodes.V1_6) {
                    heldHandler = h; // placed with its frame, which ASM visits right after the label
                    heldLabel = label;
                    return;
                }
                emitOurHandler(h, null);
                inJavacHandler = true;
            }
            super.visitLabel(label);
        }

        @Override
        public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
            flushTryCatchBlocks();
            if (heldLabel != null) {
                emitOurHandler(heldHandler, java.util.Arrays.copyOf(local, numLocal));
                super.visitLabel(heldLabel);
                for (int i = 0; i < heldLines.size(); i += 2) {
                    super.visitLineNumber((Integer) heldLines.get(i), (Label) heldLines.get(i + 1));
                }
                heldLines.clear();
                heldLabel = null;
                inJavacHandler = true; // its monitorexit is recorded by our handler in front of it
            }
            super.visitFrame(type, numLocal, local, numStack, stack);
        }

        /**
         * Our handler, placed right before javac's handler H so that it lies inside the same enclosing try
         * ranges of the program: record the release, release from javac's local, rethrow.
         */
        private void emitOurHandler(int h, Object[] locals) {
            super.visitLabel(beforeOurHandlers.get(h));
            super.visitLabel(ourHandlers.get(h));
            if (locals != null) {
                super.visitFrame(Opcodes.F_NEW, locals.length, locals, 1, new Object[] {"java/lang/Throwable"});
            }
            pushInt(handlerSites.get(h));
            callMonitorHook(mv, "exitByException", recorder);
            super.visitVarInsn(Opcodes.ALOAD, monitorLocals.get(h));
            super.visitInsn(Opcodes.MONITOREXIT);
            super.visitLabel(ourHandlerEnds.get(h));
            super.visitInsn(Opcodes.ATHROW);
        }

        @Override
        public void visitLineNumber(int line, Label start) {
            flushTryCatchBlocks();
            this.line = line;
            if (heldLabel != null) {
                heldLines.add(line);
                heldLines.add(start);
                return;
            }
            super.visitLineNumber(line, start);
        }

        @Override
        public void visitInsn(int opcode) {
            flushTryCatchBlocks();
            if (opcode == Opcodes.MONITORENTER) {
                // [obj] -> dup, site, enter -> [obj, recorder] -> swap -> [recorder, obj] -> monitorenter -> [recorder]
                int site = site(method, line);
                super.visitInsn(Opcodes.DUP);
                pushInt(site);
                callMonitorHook(mv, "enter", recorder);
                super.visitInsn(Opcodes.SWAP);
                super.visitInsn(Opcodes.MONITORENTER);
                int k = monitorIndex++;
                if (k < enteredStarts.length && enteredStarts[k] != null) {
                    super.visitLabel(enteredStarts[k]);
                    if (handlerOfMonitor[k] >= 0) {
                        handlerSites.set(handlerOfMonitor[k], site);
                    }
                }
                super.visitMethodInsn(Opcodes.INVOKESTATIC, CallSiteTable.MONITOR_HOOKS, "entered",
                        "(" + RECORDER_DESC + ")V", false);
                return;
            }
            if (opcode == Opcodes.MONITOREXIT) {
                if (inJavacHandler) {
                    inJavacHandler = false;
                } else {
                    super.visitInsn(Opcodes.DUP);
                    pushInt(site(method, line));
                    callMonitorHook(mv, "exit", recorder);
                }
            }
            super.visitInsn(opcode);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean itf) {
            flushTryCatchBlocks();
            CallSiteTable.Hook hook = !monitorsOnly && CallSiteTable.isCandidate(name, descriptor)
                    ? hookFor(opcode, owner, name, descriptor) : null;
            if (hook == null) {
                super.visitMethodInsn(opcode, owner, name, descriptor, itf);
                return;
            }
            pushInt(site(method, line));
            String withRecorder = recorder >= 0 ? hook.withRecorder() : null;
            if (withRecorder != null) { // [lock, site, known] -> the recorder used, kept in the local
                super.visitVarInsn(Opcodes.ALOAD, recorder);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, hook.owner(), hook.name(), withRecorder, false);
                super.visitVarInsn(Opcodes.ASTORE, recorder);
                return;
            }
            super.visitMethodInsn(Opcodes.INVOKESTATIC, hook.owner(), hook.name(), hook.descriptor(), false);
            String cast = hook.castFor(descriptor);
            if (cast != null) { // a generic method called with a narrower erasure: the hook returns Object
                super.visitTypeInsn(Opcodes.CHECKCAST, cast);
            }
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
            CallSiteTable.Hook hook = CallSiteTable.find(kind, name, descriptor);
            if (hook == null) {
                hook = CallSiteTable.findErased(kind, name, descriptor);
                if (hook != null && !OwnerKinds.bridges(owner, name, hook.method(), loader)) {
                    hook = null;
                }
            }
            return hook;
        }


        // any other first instruction also writes the collected exception table first
        @Override
        public void visitVarInsn(int opcode, int var) {
            flushTryCatchBlocks();
            super.visitVarInsn(opcode, var);
        }

        @Override
        public void visitIntInsn(int opcode, int operand) {
            flushTryCatchBlocks();
            super.visitIntInsn(opcode, operand);
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            flushTryCatchBlocks();
            super.visitTypeInsn(opcode, type);
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
            flushTryCatchBlocks();
            super.visitFieldInsn(opcode, owner, name, descriptor);
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String descriptor, net.bytebuddy.jar.asm.Handle bsm,
                                           Object... bsmArgs) {
            flushTryCatchBlocks();
            super.visitInvokeDynamicInsn(name, descriptor, bsm, bsmArgs);
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            flushTryCatchBlocks();
            super.visitJumpInsn(opcode, label);
        }

        @Override
        public void visitLdcInsn(Object value) {
            flushTryCatchBlocks();
            super.visitLdcInsn(value);
        }

        @Override
        public void visitIincInsn(int var, int increment) {
            flushTryCatchBlocks();
            super.visitIincInsn(var, increment);
        }

        @Override
        public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
            flushTryCatchBlocks();
            super.visitTableSwitchInsn(min, max, dflt, labels);
        }

        @Override
        public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
            flushTryCatchBlocks();
            super.visitLookupSwitchInsn(dflt, keys, labels);
        }

        @Override
        public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
            flushTryCatchBlocks();
            super.visitMultiANewArrayInsn(descriptor, numDimensions);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            flushTryCatchBlocks();
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
     * retransforming with hooks only (the JVM still takes the monitor). The monitor is always loaded from the
     * same local variable ({@code this}, or a new local holding the class), or HotSpot cannot pair monitorenter
     * with monitorexit; the new local is added to every stack map frame.
     */
    private final class SynchronizedMethod extends MethodVisitor {
        private final boolean isStatic;
        private final String descriptor;
        private final int site;
        /** The local holding the monitor: 0 (this) or, for a static method, a new one after all others. */
        private final int monitorLocal;
        /** Whether {@link #monitorLocal} is a local this rewrite adds (static methods at first load). */
        private final boolean addsLocal;
        private final Label tryStart = new Label();
        /** The {@link RecorderLocal}'s slot, or -1. */
        private final int recorder;

        SynchronizedMethod(MethodVisitor mv, boolean isStatic, String descriptor, int site, int maxLocals,
                           int recorder) {
            super(Opcodes.ASM9, mv);
            this.recorder = recorder;
            this.isStatic = isStatic;
            this.descriptor = descriptor;
            this.site = site;
            this.addsLocal = isStatic && !retransforming;
            this.monitorLocal = addsLocal ? maxLocals : 0;
        }

        private void pushMonitor() {
            if (isStatic && retransforming) {
                super.visitLdcInsn(Type.getObjectType(internalName));
            } else {
                super.visitVarInsn(Opcodes.ALOAD, monitorLocal);
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
                callMonitorHook(mv, "enteredMethod", recorder);
                super.visitLabel(tryStart);
                return;
            }
            if (isStatic) {
                super.visitLdcInsn(Type.getObjectType(internalName));
                super.visitVarInsn(Opcodes.ASTORE, monitorLocal);
            }
            pushMonitor();
            super.visitInsn(Opcodes.DUP);
            pushSite();
            callMonitorHook(mv, "enter", recorder);
            super.visitInsn(Opcodes.SWAP);
            super.visitInsn(Opcodes.MONITORENTER);
            super.visitLabel(tryStart);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, CallSiteTable.MONITOR_HOOKS, "entered",
                    "(" + RECORDER_DESC + ")V", false);
        }

        @Override
        public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
            if (addsLocal && type == Opcodes.F_NEW) {
                Object[] withMonitor = withMonitorLocal(java.util.Arrays.copyOf(local, numLocal));
                super.visitFrame(type, withMonitor.length, withMonitor, numStack, stack);
            } else {
                super.visitFrame(type, numLocal, local, numStack, stack);
            }
        }

        /** Pads the frame's locals with TOP up to the monitor's slot and puts the class there. */
        private Object[] withMonitorLocal(Object[] locals) {
            List<Object> out = new ArrayList<>();
            int slots = 0;
            for (Object l : locals) {
                if (slots >= monitorLocal) {
                    break;
                }
                out.add(l);
                slots += l == Opcodes.LONG || l == Opcodes.DOUBLE ? 2 : 1;
            }
            while (slots < monitorLocal) {
                out.add(Opcodes.TOP);
                slots++;
            }
            out.add("java/lang/Class");
            return out.toArray();
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
                pushMonitor();
                if (!retransforming) {
                    super.visitInsn(Opcodes.DUP);
                }
                pushSite();
                callMonitorHook(mv, "exit", recorder);
                if (!retransforming) {
                    super.visitInsn(Opcodes.MONITOREXIT);
                }
            }
            super.visitInsn(opcode);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            Object[] locals = initialLocals();
            Object[] stack = {"java/lang/Throwable"};
            Label recordRelease = new Label();
            Label release = new Label();
            Label releaseEnd = new Label();
            // an exception leaves the body: record the release, release, rethrow
            super.visitLabel(recordRelease);
            frame(locals, stack);
            pushSite();
            callMonitorHook(mv, "exitByException", recorder);
            if (retransforming) {
                super.visitInsn(Opcodes.ATHROW); // the JVM releases the method's monitor itself
                super.visitTryCatchBlock(tryStart, recordRelease, recordRelease, null);
                super.visitMaxs(maxStack, maxLocals);
                return;
            }
            Label recordEnd = new Label();
            super.visitVarInsn(Opcodes.ALOAD, monitorLocal);
            super.visitInsn(Opcodes.MONITOREXIT);
            super.visitLabel(recordEnd);
            super.visitInsn(Opcodes.ATHROW);
            // javac's shape, reached only if the call above fails: release, covering itself
            super.visitLabel(release);
            frame(locals, stack);
            super.visitVarInsn(Opcodes.ALOAD, monitorLocal);
            super.visitInsn(Opcodes.MONITOREXIT);
            super.visitLabel(releaseEnd);
            super.visitInsn(Opcodes.ATHROW);
            super.visitTryCatchBlock(tryStart, recordRelease, recordRelease, null);
            super.visitTryCatchBlock(recordRelease, recordEnd, release, null);
            super.visitTryCatchBlock(release, releaseEnd, release, null);
            super.visitMaxs(maxStack, Math.max(maxLocals, monitorLocal + 1));
        }

        private void frame(Object[] locals, Object[] stack) {
            if (version >= Opcodes.V1_6) {
                super.visitFrame(Opcodes.F_NEW, locals.length, locals, stack.length, stack);
            }
        }

        /** The frame's locals at method entry: this (if any), the parameters, and the monitor's local. */
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
            Object[] a = locals.toArray();
            return addsLocal ? withMonitorLocal(a) : a;
        }
    }
}
