package dev.gameday.scenarios.catalogue;

import dev.gameday.assertions.DurabilityEvidence;
import dev.gameday.environments.Environment;
import dev.gameday.environments.demo.DemoTradingSystem;
import dev.gameday.scenarios.DurabilityCheck;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Checks that every order the demo trading system acknowledged is in its {@code orders} table, reading PostgreSQL
 * directly (not through the proxy, which a fault may still disturb).
 */
public final class OrdersTable implements DurabilityCheck {

    private static final int BATCH = 1_000;
    private static final int SAMPLE = 5;

    /** The store as reports name it. */
    static final String STORE = "orders table in PostgreSQL";
    /** The table the demo keeps its orders in. */
    public static final String TABLE = "orders";

    @Override
    public String store() {
        return STORE;
    }

    @Override
    public DurabilityEvidence check(Environment environment, List<String> acknowledged) {
        if (!(environment instanceof DemoTradingSystem demo)) {
            throw new IllegalArgumentException("The orders-table check reads the demo trading system's database, but the"
                    + " environment is " + environment.name() + ". Give your experiment a durability check for your own store.");
        }
        return lookUp(demo.jdbcUrl(), DemoTradingSystem.DATABASE_USER, DemoTradingSystem.DATABASE_PASSWORD, acknowledged);
    }

    /**
     * Looks the acknowledged orders up in an {@code orders} table.
     *
     * @param acknowledged the {@code Location}s the service answered with, {@code /orders/<uuid>}
     */
    static DurabilityEvidence lookUp(String jdbcUrl, String user, String password, List<String> acknowledged) {
        Map<UUID, String> byId = new LinkedHashMap<>();
        for (String location : acknowledged) {
            byId.put(UUID.fromString(location.substring(location.lastIndexOf('/') + 1)), location);
        }
        Set<UUID> found = new HashSet<>();
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
             PreparedStatement select = connection.prepareStatement("SELECT id FROM orders WHERE id = ANY (?)")) {
            List<UUID> ids = new ArrayList<>(byId.keySet());
            for (int from = 0; from < ids.size(); from += BATCH) {
                Array batch = connection.createArrayOf("uuid", ids.subList(from, Math.min(ids.size(), from + BATCH)).toArray());
                select.setArray(1, batch);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        found.add(rows.getObject(1, UUID.class));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the orders table at " + jdbcUrl + ": " + e.getMessage(), e);
        }
        List<String> missing = byId.keySet().stream().filter(id -> !found.contains(id)).map(UUID::toString).toList();
        return new DurabilityEvidence(STORE, byId.size(), missing.size(),
                missing.subList(0, Math.min(SAMPLE, missing.size())));
    }
}
