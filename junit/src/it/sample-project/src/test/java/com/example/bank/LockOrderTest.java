package com.example.bank;

import dev.tangle.junit.DetectConcurrencyBugs;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two tests that each pass, one transferring a to b, the other b to a: together they hold the two accounts'
 * locks in opposite orders, a deadlock waiting for two such transfers to run at the same time.
 */
@DetectConcurrencyBugs
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LockOrderTest {
    static final Account CHECKING = new Account("checking", 100);
    static final Account SAVINGS = new Account("savings", 100);

    @Test
    @Order(1)
    void paysIntoSavings() {
        CHECKING.transferTo(SAVINGS, 10, () -> { });
        assertEquals(110, SAVINGS.balance());
    }

    @Test
    @Order(2)
    void paysBackFromSavings() {
        SAVINGS.transferTo(CHECKING, 10, () -> { });
        assertEquals(100, SAVINGS.balance());
    }
}
