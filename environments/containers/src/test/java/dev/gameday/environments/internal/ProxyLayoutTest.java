package dev.gameday.environments.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxyLayoutTest {

    @Test
    void oneToxiproxyCarriesEveryProxyWhosePortsDiffer() {
        Map<String, Integer> proxied = new LinkedHashMap<>();
        proxied.put("redis", 6379);
        proxied.put("postgres", 5432);
        proxied.put("exchange", 8080);

        List<ProxyLayout.Toxiproxy> layout = ProxyLayout.of(proxied);

        assertThat(layout).hasSize(1);
        assertThat(layout.get(0).proxies()).containsExactly(Map.entry("redis", 6379), Map.entry("postgres", 5432),
                Map.entry("exchange", 8080));
        assertThat(layout.get(0).command()).containsExactly("-host=0.0.0.0", "-proxy-metrics");
    }

    @Test
    void servicesSharingAPortGetAToxiproxyEach() {
        Map<String, Integer> proxied = new LinkedHashMap<>();
        proxied.put("redis", 6379);
        proxied.put("sessions", 6379);
        proxied.put("postgres", 5432);
        proxied.put("cache", 6379);

        List<ProxyLayout.Toxiproxy> layout = ProxyLayout.of(proxied);

        assertThat(layout).extracting(ProxyLayout.Toxiproxy::proxies).containsExactly(
                Map.of("redis", 6379, "postgres", 5432), Map.of("sessions", 6379), Map.of("cache", 6379));
    }

    @Test
    void aProxyOnToxiproxysOwnApiPortMovesTheApi() {
        List<ProxyLayout.Toxiproxy> layout = ProxyLayout.of(Map.of("admin", 8474));

        assertThat(layout.get(0).apiPort()).isEqualTo(8475);
        assertThat(layout.get(0).command()).containsExactly("-host=0.0.0.0", "-proxy-metrics", "-port=8475");
    }
}
