package dev.tangle.junit;

import dev.tangle.detect.Finding;
import dev.tangle.detect.FindingType;
import dev.tangle.live.LiveSession;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.opentest4j.AssertionFailedError;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Runs each test under Tangle's recording agent and fails it on the concurrency bugs Tangle finds in the test's
 * window of the trace: a DEADLOCK or COMMUNICATION_DEADLOCK among the threads the test started or involving its
 * own thread, and a THREAD_LEAK (threads the test started still alive after a grace period). A test that hangs
 * on a deadlock is failed with the same report while it hangs, its stuck threads left behind (the test method
 * runs on a thread of its own, as with JUnit's preemptive {@code @Timeout}). After all tests of a class, the
 * lock-order inversions whose two orders came from different tests of the class are reported.
 *
 * <p>Use {@code @ExtendWith(TangleExtension.class)} or {@link DetectConcurrencyBugs}; settings in
 * {@link TangleSettings}.
 */
public final class TangleExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
        AfterAllCallback, InvocationInterceptor {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TangleExtension.class);
    private static final AtomicLong TESTS = new AtomicLong();
    /** Hang findings (by {@link LiveSession#key}) reported by some test already: stuck threads stay stuck. */
    private static final Set<String> REPORTED = Collections.synchronizedSet(new HashSet<>());

    /** One test class: its settings and its tests' windows. */
    static final class ClassState {
        final TangleSettings settings;
        final AgentSession session;
        final List<TestWindow> windows = new CopyOnWriteArrayList<>();

        ClassState(TangleSettings settings, AgentSession session) {
            this.settings = settings;
            this.session = session;
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start(context);
    }

    /** Reads the settings and makes sure the agent records (attaching it on first use). */
    private static ClassState start(ExtensionContext context) {
        TangleSettings settings = TangleSettings.of(context);
        ClassState s = new ClassState(settings, AgentSession.get(settings));
        context.getStore(NAMESPACE).put(ClassState.class, s);
        return s;
    }

    private static ClassState classState(ExtensionContext context) {
        ClassState s = context.getStore(NAMESPACE).get(ClassState.class, ClassState.class);
        return s != null ? s : start(context); // registered on a method only: no beforeAll
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        ClassState cs = classState(context);
        long number = TESTS.incrementAndGet();
        String file = context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod().getName()
                + (context.getUniqueId().contains("-invocation:") ? "-" + number : "");
        TestWindow w = new TestWindow(context.getUniqueId(), context.getDisplayName(), file, number,
                Thread.currentThread().getId(), LeakCheck.liveThreadIds(), LeakCheck.deadlockedThreadIds());
        long begin = cs.session.begin(w.uniqueId, number);
        w.begin = begin >= 0 ? begin : cs.session.now();
        context.getStore(NAMESPACE).put(TestWindow.class, w);
        cs.windows.add(w);
    }

    private static TestWindow window(ExtensionContext context) {
        return context.getStore(NAMESPACE).get(TestWindow.class, TestWindow.class);
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                    ExtensionContext context) throws Throwable {
        runWatched(invocation, context);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                            ExtensionContext context) throws Throwable {
        runWatched(invocation, context);
    }

    /**
     * Runs the test method on a thread of its own and waits for it, checking meanwhile whether it hangs on a
     * deadlock: every {@code deadlockCheckMillis} the JVM is asked for deadlocked threads (cheap, monitors and
     * locks only); when it finds new ones, or when the test's thread has waited untimed for
     * {@code hangCheckMillis}, Tangle analyses the trace so far, and a deadlock of the test's threads fails the
     * test with Tangle's report, leaving its threads behind.
     */
    private static void runWatched(Invocation<Void> invocation, ExtensionContext context) throws Throwable {
        ClassState cs = classState(context);
        TestWindow w = window(context);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        FutureTask<Void> task = new FutureTask<>(() -> {
            try {
                invocation.proceed();
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, null);
        Thread body = new Thread(task, "tangle-test-" + context.getRequiredTestMethod().getName());
        // as JUnit's own thread: the threads the test starts inherit it, and a leak is a leak of non-daemons
        body.setDaemon(Thread.currentThread().isDaemon());
        w.body = body;
        body.start();
        TangleSettings s = cs.settings;
        long firstDeadlock = -1;
        long lastAnalysis = 0;
        long waitingSince = -1;
        while (true) {
            try {
                task.get(s.deadlockCheckMillis(), TimeUnit.MILLISECONDS);
                break;
            } catch (TimeoutException e) {
                // still running: look for a hang
            } catch (ExecutionException e) {
                throw e.getCause();
            }
            long now = System.nanoTime() / 1_000_000L;
            Set<Long> fresh = LeakCheck.deadlockedThreadIds();
            fresh.removeAll(w.deadlockedBefore);
            Thread.State state = body.getState();
            boolean waiting = state == Thread.State.WAITING || state == Thread.State.BLOCKED;
            waitingSince = waiting ? (waitingSince < 0 ? now : waitingSince) : -1;
            boolean analyse;
            if (!fresh.isEmpty()) {
                firstDeadlock = firstDeadlock < 0 ? now : firstDeadlock;
                analyse = now - lastAnalysis >= 500;
            } else {
                analyse = waiting && now - waitingSince >= s.hangCheckMillis() && now - lastAnalysis >= s.hangCheckMillis();
            }
            if (!analyse) {
                continue;
            }
            lastAnalysis = now;
            TraceSnapshot snapshot = TraceSnapshot.take(cs.session);
            Set<String> own = snapshot.threadsOf(w, w.callbackThread, body.getId());
            List<Finding> hangs = new ArrayList<>();
            for (Finding f : snapshot.findings) {
                if ((f.type() == FindingType.DEADLOCK || f.type() == FindingType.COMMUNICATION_DEADLOCK)
                        && involves(f, own) && !REPORTED.contains(LiveSession.key(f))) {
                    hangs.add(f);
                }
            }
            if (!hangs.isEmpty()) {
                hangs.forEach(f -> REPORTED.add(LiveSession.key(f)));
                w.reported = true;
                List<Path> files = snapshot.write(s.outputDir(), w.fileName, hangs);
                throw new AssertionFailedError(FailureReport.of("Tangle: " + w.displayName + " hangs on a "
                        + FailureReport.types(hangs) + " (failed while hanging; its threads are left behind)",
                        hangs, snapshot, files, cs.session.attached));
            }
            if (firstDeadlock >= 0 && now - firstDeadlock >= 5000) {
                w.reported = true;
                throw new AssertionFailedError("Tangle: " + w.displayName + " hangs: the JVM reports deadlocked"
                        + " threads " + names(fresh) + " that Tangle's trace does not show as a deadlock (a blind"
                        + " spot of the recording" + (cs.session.attached ? ": the agent was attached while the JVM"
                        + " ran; load it with -javaagent" : "") + "); their threads are left behind");
            }
        }
        if (thrown.get() != null) {
            throw thrown.get();
        }
    }

    private static String names(Set<Long> ids) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> ids.contains(t.getId()))
                .map(t -> "\"" + t.getName() + "\"").sorted().collect(Collectors.joining(", "));
    }

    private static boolean involves(Finding f, Set<String> threads) {
        return f.threads().stream().anyMatch(threads::contains);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        ClassState cs = classState(context);
        TestWindow w = window(context);
        if (w == null) {
            return;
        }
        long end = cs.session.end(w.uniqueId, w.number, context.getExecutionException().isPresent());
        w.end = end >= 0 ? end : cs.session.now();
        if (w.reported) {
            return;
        }
        Thread body = w.body;
        if (body != null) {
            body.join(1000); // it returned; let it end
        }
        TangleSettings s = cs.settings;
        List<Thread> leaked = LeakCheck.leaked(w, s);
        Set<Long> fresh = LeakCheck.deadlockedThreadIds();
        fresh.removeAll(w.deadlockedBefore);
        if (leaked.isEmpty() && fresh.isEmpty() && !LeakCheck.anyStuck(w)) {
            return; // nothing left behind: nothing the trace could add
        }
        TraceSnapshot snapshot = TraceSnapshot.take(cs.session);
        Set<String> own = snapshot.threadsOf(w, w.callbackThread, body == null ? 0 : body.getId());
        Set<String> leakedNames = leaked.stream().map(Thread::getName).collect(Collectors.toSet());
        List<Finding> failing = new ArrayList<>();
        for (Finding f : snapshot.findings) {
            if (REPORTED.contains(LiveSession.key(f)) || !s.fails(f.type(), f.severity())) {
                continue;
            }
            boolean ours = switch (f.type()) {
                case DEADLOCK, COMMUNICATION_DEADLOCK -> involves(f, own);
                case THREAD_LEAK -> involves(f, leakedNames);
                default -> w.contains(f.time()) && involves(f, own);
            };
            if (ours) {
                failing.add(f);
            }
        }
        if (failing.isEmpty()) {
            if (!leaked.isEmpty()) {
                System.err.println("tangle: " + w.displayName + " left threads running that Tangle does not report"
                        + " as leaked: " + leakedNames);
            }
            return;
        }
        failing.forEach(f -> REPORTED.add(LiveSession.key(f)));
        List<Path> files = snapshot.write(s.outputDir(), w.fileName, failing);
        throw new AssertionFailedError(FailureReport.of("Tangle: " + w.displayName + ": "
                + FailureReport.types(failing), failing, snapshot, files, cs.session.attached));
    }

    /**
     * Reports the lock-order inversions whose orders came from different tests of the class (on stderr and in
     * {@code NAME.inversions.txt}, with the JSON report beside it); fails the class only when the settings say so.
     */
    @Override
    public void afterAll(ExtensionContext context) {
        ClassState cs = context.getStore(NAMESPACE).get(ClassState.class, ClassState.class);
        if (cs == null || cs.windows.size() < 2) {
            return;
        }
        TraceSnapshot snapshot = TraceSnapshot.take(cs.session);
        List<CrossTestInversions> found = CrossTestInversions.find(snapshot, cs.windows);
        if (found.isEmpty()) {
            return;
        }
        String name = context.getRequiredTestClass().getSimpleName();
        boolean failing = found.stream().anyMatch(i -> cs.settings.fails(i.finding().type(),
                i.finding().severity()));
        String report = CrossTestInversions.report(name, found, failing);
        java.nio.file.Path file = CrossTestInversions.write(cs.settings.outputDir(), name, report);
        snapshot.write(cs.settings.outputDir(), name + ".inversions", found.stream()
                .map(CrossTestInversions::finding).toList());
        context.publishReportEntry("tangle.inversions", report);
        if (failing) {
            throw new AssertionFailedError(report + (file == null ? "" : System.lineSeparator() + "report: " + file));
        }
        System.err.println(report);
        if (file != null) {
            System.err.println("report: " + file);
        }
    }
}
