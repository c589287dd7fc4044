package dev.gameday.junit;

import dev.gameday.environments.Endpoint;
import dev.gameday.environments.Environment;
import dev.gameday.environments.EnvironmentUnavailableException;
import dev.gameday.environments.Protocol;
import dev.gameday.environments.Target;
import dev.gameday.scenarios.EnvironmentSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** An environment that starts nothing and counts starts, health checks and closes; one set of counts per JVM. */
final class FakeSystem implements Environment {

    static final AtomicInteger STARTS = new AtomicInteger();
    static final AtomicInteger CLOSES = new AtomicInteger();
    static final AtomicInteger HEALTH_CHECKS = new AtomicInteger();
    /** From this health check on (1-based), the system reports itself unhealthy; 0 never. */
    static volatile int unhealthyFromCheck;
    static volatile RuntimeException failToStart;

    static final EnvironmentSource SOURCE = () -> {
        STARTS.incrementAndGet();
        if (failToStart != null) {
            throw failToStart;
        }
        return new FakeSystem();
    };

    private final List<Target> targets = List.of(
            new Target("api", Protocol.HTTP, new Endpoint("localhost", 9), Optional.empty(), Optional.empty()),
            new Target("redis", Protocol.REDIS, new Endpoint("localhost", 9), Optional.empty(), Optional.empty()));
    volatile boolean closed;

    static void reset() {
        STARTS.set(0);
        CLOSES.set(0);
        HEALTH_CHECKS.set(0);
        unhealthyFromCheck = 0;
        failToStart = null;
    }

    @Override
    public String name() {
        return "fake-system";
    }

    @Override
    public List<Target> targets() {
        return targets;
    }

    @Override
    public Target entryPoint() {
        return targets.get(0);
    }

    @Override
    public void checkHealthy() {
        int check = HEALTH_CHECKS.incrementAndGet();
        if (unhealthyFromCheck > 0 && check >= unhealthyFromCheck) {
            throw new EnvironmentUnavailableException("container(s) [redis] no longer running");
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            CLOSES.incrementAndGet();
        }
    }
}
