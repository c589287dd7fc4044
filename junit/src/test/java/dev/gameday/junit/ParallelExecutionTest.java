package dev.gameday.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Gameday runs one experiment at a time per JVM; with JUnit's parallel execution on, {@link Gameday}'s resource lock
 * keeps its classes apart, while the same classes without it do overlap (the control: parallel execution was on).
 */
class ParallelExecutionTest {

    static final AtomicInteger IN_FLIGHT = new AtomicInteger();
    static final AtomicInteger MOST_AT_ONCE = new AtomicInteger();

    static void occupy() throws InterruptedException {
        int now = IN_FLIGHT.incrementAndGet();
        MOST_AT_ONCE.accumulateAndGet(now, Math::max);
        Thread.sleep(500);
        IN_FLIGHT.decrementAndGet();
    }

    @Gameday
    static class First {
        @Test
        void runs() throws InterruptedException {
            occupy();
        }
    }

    @Gameday
    static class Second {
        @Test
        void runs() throws InterruptedException {
            occupy();
        }
    }

    static class PlainFirst {
        @Test
        void runs() throws InterruptedException {
            occupy();
        }
    }

    static class PlainSecond {
        @Test
        void runs() throws InterruptedException {
            occupy();
        }
    }

    @BeforeEach
    void reset() {
        IN_FLIGHT.set(0);
        MOST_AT_ONCE.set(0);
    }

    @Test
    void gamedayClassesNeverRunAtOnce() {
        runInParallel(First.class, Second.class);

        assertThat(MOST_AT_ONCE).hasValue(1);
    }

    @Test
    void theSameClassesWithoutGamedayDo() {
        runInParallel(PlainFirst.class, PlainSecond.class);

        assertThat(MOST_AT_ONCE).hasValue(2);
    }

    private static void runInParallel(Class<?> first, Class<?> second) {
        EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.mode.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "4")
                .selectors(selectClass(first), selectClass(second))
                .execute()
                .testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));
    }
}
