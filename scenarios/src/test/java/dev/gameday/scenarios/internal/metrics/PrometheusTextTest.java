package dev.gameday.scenarios.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** On a page the demo trading system really served ({@code GET /metrics}, captured from its image). */
class PrometheusTextTest {

    static String demoPage() throws IOException {
        try (InputStream in = PrometheusTextTest.class.getResourceAsStream("demo-metrics.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsTheBreakerStatePoolAndHeapGaugesOfTheDemo() throws IOException {
        PrometheusText.Parsed page = PrometheusText.parse(demoPage());

        assertThat(page.skippedLines()).as("every line of the demo's page is readable").isZero();
        assertThat(page.sum("resilience4j_circuitbreaker_state", Map.of("name", "exchange", "state", "open")))
                .hasValue(0.0);
        assertThat(page.sum("resilience4j_circuitbreaker_state", Map.of("name", "exchange", "state", "closed")))
                .hasValue(1.0);
        assertThat(page.sum("resilience4j_circuitbreaker_state", Map.of("name", "exchange")))
                .as("the state gauges of one breaker add up to 1").hasValue(1.0);
        assertThat(page.sum("hikaricp_connections_active", Map.of("pool", "orders"))).hasValue(0.0);
        assertThat(page.sum("jvm_memory_used_bytes", Map.of("area", "heap")).getAsDouble())
                .as("the heap over its three G1 pools")
                .isCloseTo(0.0 + 1.6699392E7 + 8224968.0, within(0.5));
        assertThat(page.sum("resilience4j_circuitbreaker_state", Map.of("name", "payments"))).isEmpty();
        assertThat(page.sum("no_such_metric", Map.of())).isEmpty();
    }

    @Test
    void readsEscapesSpecialValuesTimestampsAndSkipsWhatItCannotRead() {
        String text = """
                # HELP odd A metric with odd labels
                # TYPE odd gauge
                odd{path="/a\\"b\\\\c",text="line\\nbreak"} 3.5 1700000000000
                odd{ path = "spaces" , } -2e3
                nan_gauge NaN
                inf_gauge +Inf
                ninf_gauge{a="b"} -Inf
                broken{a="unterminated} 1
                also_broken 1 2 3
                no_value
                # EOF
                """;

        PrometheusText.Parsed page = PrometheusText.parse(text);

        assertThat(page.skippedLines()).isEqualTo(3);
        assertThat(page.samples()).hasSize(5);
        assertThat(page.samples().get(0).labels()).containsExactly(Map.entry("path", "/a\"b\\c"),
                Map.entry("text", "line\nbreak"));
        assertThat(page.samples().get(0).value()).isEqualTo(3.5);
        assertThat(page.sum("odd", Map.of("path", "spaces"))).hasValue(-2000.0);
        assertThat(page.sum("odd", Map.of())).as("3.5 + -2000").hasValue(-1996.5);
        assertThat(page.sum("nan_gauge", Map.of())).as("a NaN sample is no reading").isEmpty();
        assertThat(page.sum("inf_gauge", Map.of())).hasValue(Double.POSITIVE_INFINITY);
        assertThat(page.sum("ninf_gauge", Map.of("a", "b"))).hasValue(Double.NEGATIVE_INFINITY);
    }

    @Test
    void readsWindowsLineEndings() {
        assertThat(PrometheusText.parse("a 1\r\nb{x=\"y\"} 2\r\n").sum("b", Map.of("x", "y"))).hasValue(2.0);
    }
}
