package dev.gameday.scenarios.file;

import dev.gameday.environments.Environment;
import dev.gameday.demo.Flaw;
import dev.gameday.scenarios.EnvironmentSource;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** Environments whose sources count their starts instead of starting anything: parsing must start nothing. */
final class RecordingEnvironments implements Environments {

    final AtomicInteger made = new AtomicInteger();
    final AtomicInteger started = new AtomicInteger();

    @Override
    public EnvironmentSource demo(Set<Flaw> flaws) {
        made.incrementAndGet();
        return this::start;
    }

    @Override
    public EnvironmentSource compose(ComposeSection compose) {
        made.incrementAndGet();
        return this::start;
    }

    private Environment start() {
        started.incrementAndGet();
        throw new AssertionError("an environment was started while parsing");
    }
}
