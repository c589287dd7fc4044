package dev.gameday.demo.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gameday.demo.config.RiskConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The {@code expensive-request-path} flaw costs CPU, measured as this thread's CPU time (not wall-clock time, which a
 * busy machine stretches), and changes no decision.
 */
class ExpensiveRequestPathTest {

    private static final RiskConfig LIMITS = new RiskConfig(new BigDecimal("1000000"));
    private static final OrderRequest ORDER = new OrderRequest("ACC-1", "BTC-USD", "BUY", new BigDecimal("1.5"),
            new BigDecimal("65000.0"));

    @Test
    void recomputingTheValueAtRiskCostsMillisecondsOfCpuPerOrderAndHundredsOfTimesTheHealthyCheck() {
        RiskCheck healthy = new RiskCheck(LIMITS);
        RiskCheck flawed = new RiskCheck(LIMITS, true);
        // Warm both paths up, so the figures compare compiled code.
        cpuNanosPerCall(healthy::approve, 20_000);
        cpuNanosPerCall(flawed::approve, 20);

        long healthyNanos = cpuNanosPerCall(healthy::approve, 20_000);
        long flawedNanos = cpuNanosPerCall(flawed::approve, 20);

        System.out.printf("risk check CPU per order: healthy %d µs, expensive-request-path %d µs%n",
                healthyNanos / 1_000, flawedNanos / 1_000);
        assertThat(flawedNanos).as("CPU nanoseconds per order with the flaw").isGreaterThan(1_000_000L);
        assertThat(flawedNanos).as("CPU per order with the flaw, against %d ns without", healthyNanos)
                .isGreaterThan(100 * Math.max(healthyNanos, 1));
    }

    @Test
    void costsCpuInProportionToTheSimulatedPaths() {
        RiskCheck light = new RiskCheck(new RiskConfig(new BigDecimal("1000000"), 5_000), true);
        RiskCheck heavy = new RiskCheck(new RiskConfig(new BigDecimal("1000000"), 40_000), true);
        cpuNanosPerCall(light::approve, 20);
        cpuNanosPerCall(heavy::approve, 5);

        long lightNanos = cpuNanosPerCall(light::approve, 20);
        long heavyNanos = cpuNanosPerCall(heavy::approve, 10);

        System.out.printf("risk check CPU per order: 5 000 paths %d µs, 40 000 paths %d µs%n", lightNanos / 1_000,
                heavyNanos / 1_000);
        assertThat(heavyNanos).as("CPU per order with 8 times the paths, against %d ns", lightNanos)
                .isGreaterThan(3 * lightNanos);
    }

    @Test
    void approvesAndRejectsExactlyWhatTheHealthyCheckDoes() {
        RiskCheck flawed = new RiskCheck(LIMITS, true);

        assertThat(flawed.approve(ORDER).side()).isEqualTo(Side.BUY);
        assertThat(flawed.approve(new OrderRequest("ACC-1", "ETH-USD", "SELL", new BigDecimal("400"), new BigDecimal("2500")))
                .side()).as("an order exactly at the notional limit").isEqualTo(Side.SELL);
        assertThatThrownBy(() -> flawed.approve(new OrderRequest("ACC-1", "BTC-USD", "BUY", new BigDecimal("20"),
                new BigDecimal("65000")))).isInstanceOf(RiskRejectedException.class)
                .hasMessageStartingWith("notional (quantity × price) must be at most 1000000");
    }

    @Test
    void valueAtRiskIsAPlausibleFractionOfTheNotional() {
        double notional = 97_500;

        double loss = ValueAtRisk.oneDay99(notional, "BTC-USD");

        // 5 % daily volatility: the 99 % one-day loss is about 2.33 standard deviations, some 11 % of the notional.
        assertThat(loss / notional).isBetween(0.09, 0.13);
        assertThat(ValueAtRisk.oneDay99(notional, "BTC-USD")).as("the same order costs the same, same answer").isEqualTo(loss);
    }

    private static long cpuNanosPerCall(Consumer<OrderRequest> check, int calls) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        for (int call = 0; call < calls; call++) {
            check.accept(ORDER);
        }
        return (threads.getCurrentThreadCpuTime() - start) / calls;
    }
}
