package com.example.bank;

/** An account whose transfers lock both accounts, in the order they are given: the classic lock-order bug. */
public final class Account {
    private final String name;
    private long balance;

    public Account(String name, long balance) {
        this.name = name;
        this.balance = balance;
    }

    /** Locks this account, then the other one. */
    public void transferTo(Account other, long amount, Runnable whileHoldingFirst) {
        synchronized (this) {
            whileHoldingFirst.run();
            synchronized (other) {
                balance -= amount;
                other.balance += amount;
            }
        }
    }

    public synchronized long balance() {
        return balance;
    }

    @Override
    public String toString() {
        return name;
    }
}
