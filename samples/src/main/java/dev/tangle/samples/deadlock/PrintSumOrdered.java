package dev.tangle.samples.deadlock;

/**
 * The remedy for {@link PrintSumDeadlock}: every caller locks the two values in one global order (here by
 * name), whatever order it was given them in, so no thread can hold the second while waiting for the first.
 */
public final class PrintSumOrdered {
    private PrintSumOrdered() {
    }

    static final class Value {
        final String name;
        final int amount;

        Value(String name, int amount) {
            this.name = name;
            this.amount = amount;
        }
    }

    static void printSum(Value x, Value y) {
        Value first = x.name.compareTo(y.name) <= 0 ? x : y;
        Value second = first == x ? y : x;
        synchronized (first) {
            dev.tangle.samples.Pause.millis(100); // the same pause that made the other version deadlock
            synchronized (second) {
                System.out.println("sum of " + x.name + " and " + y.name + " = " + (x.amount + y.amount));
            }
        }
    }

    public static void main(String[] args) throws InterruptedException {
        Value a = new Value("a", 1);
        Value b = new Value("b", 2);
        Thread ab = new Thread(() -> printSum(a, b), "printSum(a, b)");
        Thread ba = new Thread(() -> printSum(b, a), "printSum(b, a)");
        ab.start();
        ba.start();
        ab.join();
        ba.join();
        System.out.println("both sums printed: the values are always locked a first, then b");
    }
}
