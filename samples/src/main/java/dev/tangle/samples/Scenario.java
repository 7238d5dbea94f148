package dev.tangle.samples;

import java.util.List;

/**
 * One lesson of the demo catalogue ({@link Scenarios}): a program with a concurrency bug and its fixed twin, or
 * a correct program that must stay clean. {@code tangle demo} and the tests read the same entries.
 *
 * @param name        the name {@code tangle demo NAME} takes, e.g. {@code deadlock-monitors}
 * @param description one line for the listing
 * @param expected    the finding type the program yields ({@code DEADLOCK}, ...), or null for a correct program
 * @param threads     the threads the finding names (all findings together when there are several)
 * @param program     the main class: the buggy variant, or the correct program
 * @param fixed       the main class of the fixed variant, or null for a correct program
 * @param hangs       the program hangs on purpose and announces it ({@link HangNotice}): the runner stops it
 */
public record Scenario(String name, String description, String expected, List<String> threads, Class<?> program,
        Class<?> fixed, boolean hangs) {
    public Scenario {
        threads = List.copyOf(threads);
    }

    /** A bug: its program yields {@code expected} naming {@code threads}; its fixed twin yields nothing. */
    static Scenario bug(String name, String description, String expected, List<String> threads, Class<?> program,
            Class<?> fixed, boolean hangs) {
        return new Scenario(name, description, expected, threads, program, fixed, hangs);
    }

    /** A correct program: no finding. */
    static Scenario correct(String name, String description, Class<?> program) {
        return new Scenario(name, description, null, List.of(), program, null, false);
    }

    public boolean isBug() {
        return expected != null;
    }

    /** The main class of the variant: the fixed one when asked and there is one. */
    public Class<?> mainClass(boolean fixedVariant) {
        if (fixedVariant && fixed == null) {
            throw new IllegalArgumentException(name + " is a correct program: it has no fixed variant");
        }
        return fixedVariant ? fixed : program;
    }
}
