package dev.gameday.environments.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StartOrderTest {

    @Test
    void servicesStartAfterTheirDependenciesInWavesInDeclarationOrder() {
        Map<String, Set<String>> dependencies = new LinkedHashMap<>();
        dependencies.put("api", Set.of("redis", "postgres", "exchange"));
        dependencies.put("redis", Set.of());
        dependencies.put("postgres", Set.of());
        dependencies.put("migrations", Set.of("postgres"));
        dependencies.put("exchange", Set.of());

        assertThat(StartOrder.waves(dependencies))
                .containsExactly(java.util.List.of("redis", "postgres", "exchange"), java.util.List.of("api", "migrations"));
    }

    @Test
    void aCycleIsNamedFromItsFirstService() {
        Map<String, Set<String>> dependencies = new LinkedHashMap<>();
        dependencies.put("redis", Set.of());
        dependencies.put("api", Set.of("redis", "worker"));
        dependencies.put("worker", Set.of("queue"));
        dependencies.put("queue", Set.of("worker"));

        assertThatThrownBy(() -> StartOrder.waves(dependencies))
                .hasMessageStartingWith("dependsOn forms a cycle: worker -> queue -> worker.");
    }
}
