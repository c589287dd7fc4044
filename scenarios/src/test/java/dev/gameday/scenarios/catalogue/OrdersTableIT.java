package dev.gameday.scenarios.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gameday.assertions.DurabilityEvidence;
import dev.gameday.environments.images.Images;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.testcontainers.postgresql.PostgreSQLContainer;

/** The durability check against a real PostgreSQL: it must find what is there and name what is not. */
class OrdersTableIT {

    @Test
    void namesTheAcknowledgedOrdersThatAreMissing() throws SQLException {
        try (PostgreSQLContainer postgres = new PostgreSQLContainer(Images.POSTGRES)) {
            postgres.start();
            List<String> acknowledged = new ArrayList<>();
            List<UUID> stored = new ArrayList<>();
            for (int i = 0; i < 1_500; i++) {
                UUID id = UUID.randomUUID();
                acknowledged.add("/orders/" + id);
                if (i % 500 != 7) {
                    stored.add(id);
                }
            }
            try (Connection connection = DriverManager.getConnection(postgres.getJdbcUrl(), postgres.getUsername(),
                    postgres.getPassword())) {
                connection.createStatement().execute("CREATE TABLE orders (id uuid PRIMARY KEY)");
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO orders (id) VALUES (?)")) {
                    for (UUID id : stored) {
                        insert.setObject(1, id);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
            }

            DurabilityEvidence evidence = OrdersTable.lookUp(postgres.getJdbcUrl(), postgres.getUsername(),
                    postgres.getPassword(), acknowledged);

            assertThat(evidence.acknowledged()).isEqualTo(1_500);
            assertThat(evidence.missing()).as("three orders were acknowledged but never stored").isEqualTo(3);
            assertThat(evidence.missingSample()).as("and the report names them")
                    .containsExactly(acknowledged.get(7).substring(8), acknowledged.get(507).substring(8),
                            acknowledged.get(1_007).substring(8));
        }
    }
}
