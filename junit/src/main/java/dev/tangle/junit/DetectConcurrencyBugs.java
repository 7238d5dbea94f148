package dev.tangle.junit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the test class under Tangle ({@link TangleExtension}): a test fails when it deadlocks or leaks threads,
 * and lock-order inversions between its tests are reported after the class. Attributes left at their defaults
 * take the {@code junit-platform.properties} keys ({@code tangle.failOn}, ...), then the built-in defaults.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@ExtendWith(TangleExtension.class)
public @interface DetectConcurrencyBugs {
    /**
     * Finding types that fail a test ({@code DEADLOCK}, {@code COMMUNICATION_DEADLOCK}, {@code THREAD_LEAK},
     * {@code POTENTIAL_DEADLOCK}, {@code LIVELOCK}, {@code STARVATION}); empty: {@code tangle.failOn}, by default
     * {@code DEADLOCK,COMMUNICATION_DEADLOCK,THREAD_LEAK}.
     */
    String[] failOn() default {};

    /**
     * The least severe finding of the {@link #failOn} types that fails: {@code ERROR}, {@code WARNING} or
     * {@code NOTE} (ordered lock-order inversions too); empty: {@code tangle.failOnSeverity}, by default WARNING.
     */
    String failOnSeverity() default "";

    /** How long threads started by a test may take to end after it before they count as leaked; -1: the key. */
    long leakGraceMillis() default -1;

    /** Regular expressions of thread names that never count as leaked, added to {@code tangle.ignoreThreads}. */
    String[] ignoreThreads() default {};

    /** Where failing tests' traces and reports go; empty: {@code tangle.outputDir}, by default target/tangle. */
    String outputDir() default "";
}
