package dev.gameday.scenarios;

import dev.gameday.environments.Endpoint;
import dev.gameday.environments.Environment;
import dev.gameday.environments.Protocol;
import dev.gameday.environments.Target;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** An environment that starts nothing: given targets, or targets on unused local ports none behind a proxy. Counts its closes. */
public final class FakeEnvironment implements Environment {

    final AtomicInteger closes = new AtomicInteger();
    private final String name;
    private final List<Target> targets;

    FakeEnvironment(String... targetNames) {
        this("fake", java.util.Arrays.stream(targetNames)
                .map(name -> new Target(name, Protocol.HTTP, new Endpoint("localhost", 9), Optional.empty(), Optional.empty()))
                .toList());
    }

    /** These targets, the entry point first, under this name. */
    public FakeEnvironment(String name, List<Target> targets) {
        this.name = name;
        this.targets = List.copyOf(targets);
    }

    @Override
    public String name() {
        return name;
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
    public void close() {
        closes.incrementAndGet();
    }
}
