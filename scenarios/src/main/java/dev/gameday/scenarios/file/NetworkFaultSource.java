package dev.gameday.scenarios.file;

import dev.gameday.environments.Environment;
import dev.gameday.environments.Target;
import dev.gameday.faults.Fault;
import dev.gameday.faults.NetworkFaults;
import dev.gameday.scenarios.FaultSource;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * One of {@link NetworkFaults}' faults on a named target, chosen by the file's {@code fault.type}.
 *
 * <pre>{@code
 * FaultSource redisHangs = new NetworkFaultSource(NetworkFaultSource.Type.TIMEOUT, "redis", Optional.empty());
 * }</pre>
 */
record NetworkFaultSource(Type type, String target, Optional<Duration> latency) implements FaultSource {

    /** The faults {@link NetworkFaults} offers, by the name a file gives them. */
    enum Type {
        TIMEOUT, LATENCY, PARTITION, PROXY_DOWN;

        String fileName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static Type fromFileName(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    @Override
    public Fault on(Environment environment) {
        return on(environment.target(target));
    }

    /** The fault on this target; also how the parser asks {@link NetworkFaults} whether a target can take it. */
    Fault on(Target resolved) {
        return switch (type) {
            case TIMEOUT -> NetworkFaults.timeout(resolved);
            case LATENCY -> NetworkFaults.latency(resolved, latency.orElseThrow());
            case PARTITION -> NetworkFaults.partition(resolved);
            case PROXY_DOWN -> NetworkFaults.proxyDown(resolved);
        };
    }

    @Override
    public String toString() {
        return type.fileName() + " on " + target + latency.map(l -> " (" + l.toMillis() + " ms)").orElse("");
    }
}
