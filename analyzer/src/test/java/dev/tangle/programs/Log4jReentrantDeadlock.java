package dev.tangle.programs;

import org.apache.log4j.Logger;
import org.apache.log4j.PatternLayout;
import org.apache.log4j.WriterAppender;

import java.io.StringWriter;
import java.util.concurrent.CountDownLatch;

/**
 * log4j 1.2.17 (compiled for Java 1.4) deadlocks when an object's {@code toString()} logs (log4j bug 41214).
 * One appender serves the root logger and logger "two". Thread "log(one)" logs a {@code Report} through logger
 * "one": {@code Category.callAppenders} holds the root category, {@code AppenderSkeleton.doAppend} (a
 * synchronized method) holds the appender, and the layout calls {@code Report.toString()}, which logs through
 * "two": the nested {@code callAppenders} requests category "two" at the same line as the outer call. Meanwhile
 * thread "log(two)" logs through "two": it holds category "two" and waits to enter {@code doAppend}. Argument
 * {@code quiet}: {@code toString()} does not log (correct, same locks otherwise).
 */
public final class Log4jReentrantDeadlock {
    private static final Logger ONE = Logger.getLogger("one");
    private static final Logger TWO = Logger.getLogger("two");
    private static final CountDownLatch RENDERING = new CountDownLatch(1);
    private static volatile Thread other;
    private static volatile WriterAppender appender;
    private static boolean logsWhenRendered;

    /** A message object whose rendering logs, once the other thread waits for the appender. */
    static final class Report {
        @Override
        public String toString() {
            RENDERING.countDown();
            if (logsWhenRendered) {
                Programs.awaitBlockedOn(other, appender); // in doAppend, holding category "two"
                TWO.info("rendering a report");
            }
            return "report";
        }
    }

    public static void main(String[] args) throws Exception {
        logsWhenRendered = !(args.length > 0 && args[0].equals("quiet"));
        appender = new WriterAppender(new PatternLayout("%t %m%n"), new StringWriter());
        Logger.getRootLogger().addAppender(appender);
        TWO.addAppender(appender);
        Thread one = new Thread(() -> ONE.info(new Report()), "log(one)");
        Thread two = new Thread(() -> {
            try {
                RENDERING.await();
            } catch (InterruptedException e) {
                return;
            }
            TWO.info("hello");
        }, "log(two)");
        other = two;
        one.setDaemon(true);
        two.setDaemon(true);
        one.start();
        two.start();
        if (logsWhenRendered) {
            Programs.awaitBlockedOn(one, TWO);
            Programs.awaitBlockedOn(two, appender);
            Thread.sleep(300);
            System.out.println(one.getState() + " " + two.getState());
        } else {
            Programs.join(one, two);
        }
    }
}
