package dev.tangle.load;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An embedded H2 2.x database (in memory, MVStore) under JDBC load: {@code threads} clients, each with its own
 * connection, run a mix of point reads (70 %), single-row updates (15 %), two-row transfers in one transaction
 * (10 %, rows updated in id order so two transfers never wait for each other in a cycle) and upserts into a
 * bounded history table (5 %). One operation = one statement or transaction.
 *
 * <p>{@code java -cp benchmarks.jar dev.tangle.load.H2Load [seconds [threads [warmupSeconds]]]} (10 s, 8, 3 s).
 */
public final class H2Load extends Workload {
    static final int ACCOUNTS = 10_000;
    static final int HISTORY = 10_000;
    private static final String URL = "jdbc:h2:mem:tangle_load;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000";

    private Connection keeper;

    public static void main(String... args) throws Exception {
        new H2Load().run(args, 10, 8, 3);
    }

    @Override
    protected String name() {
        return "h2";
    }

    @Override
    protected void setUp(int threads) throws SQLException {
        keeper = DriverManager.getConnection(URL, "sa", "");
        try (Statement s = keeper.createStatement()) {
            s.execute("CREATE TABLE account(id INT PRIMARY KEY, balance BIGINT NOT NULL, owner VARCHAR(64))");
            s.execute("CREATE TABLE history(id INT PRIMARY KEY, account INT NOT NULL, amount BIGINT NOT NULL)");
        }
        keeper.setAutoCommit(false);
        try (PreparedStatement p = keeper.prepareStatement("INSERT INTO account VALUES (?, ?, ?)")) {
            for (int i = 0; i < ACCOUNTS; i++) {
                p.setInt(1, i);
                p.setLong(2, 1_000);
                p.setString(3, "owner-" + i);
                p.addBatch();
            }
            p.executeBatch();
        }
        keeper.commit();
        keeper.setAutoCommit(true);
    }

    /** One client's connection and prepared statements. */
    private static final class Client {
        final Connection c;
        final PreparedStatement read;
        final PreparedStatement add;
        final PreparedStatement upsert;

        Client(Connection c) throws SQLException {
            this.c = c;
            read = c.prepareStatement("SELECT balance, owner FROM account WHERE id = ?");
            add = c.prepareStatement("UPDATE account SET balance = balance + ? WHERE id = ?");
            upsert = c.prepareStatement("MERGE INTO history KEY(id) VALUES (?, ?, ?)");
        }
    }

    @Override
    protected Object openClient(int index) throws SQLException {
        return new Client(DriverManager.getConnection(URL, "sa", ""));
    }

    @Override
    protected int operation(Object client, int index) throws SQLException {
        Client k = (Client) client;
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        int kind = rnd.nextInt(100);
        int id = rnd.nextInt(ACCOUNTS);
        if (kind < 70) {
            k.read.setInt(1, id);
            try (ResultSet rs = k.read.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("account " + id + " missing");
                }
            }
        } else if (kind < 85) {
            k.add.setLong(1, rnd.nextInt(-5, 6));
            k.add.setInt(2, id);
            k.add.executeUpdate();
        } else if (kind < 95) {
            int other = rnd.nextInt(ACCOUNTS);
            if (other == id) {
                other = (id + 1) % ACCOUNTS;
            }
            long amount = rnd.nextInt(1, 10);
            k.c.setAutoCommit(false);
            try {
                k.add.setLong(1, Math.min(id, other) == id ? -amount : amount);
                k.add.setInt(2, Math.min(id, other));
                k.add.executeUpdate();
                k.add.setLong(1, Math.min(id, other) == id ? amount : -amount);
                k.add.setInt(2, Math.max(id, other));
                k.add.executeUpdate();
                k.c.commit();
            } catch (SQLException e) {
                k.c.rollback();
                throw e;
            } finally {
                k.c.setAutoCommit(true);
            }
        } else {
            k.upsert.setInt(1, rnd.nextInt(HISTORY));
            k.upsert.setInt(2, id);
            k.upsert.setLong(3, rnd.nextInt(1, 100));
            k.upsert.executeUpdate();
        }
        return 1;
    }

    @Override
    protected void closeClient(Object client) throws SQLException {
        ((Client) client).c.close();
    }

    @Override
    protected void tearDown() throws SQLException {
        try (Statement s = keeper.createStatement()) {
            s.execute("SHUTDOWN");
        }
        keeper.close();
    }
}
