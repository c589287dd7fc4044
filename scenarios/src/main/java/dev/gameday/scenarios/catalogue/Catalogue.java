package dev.gameday.scenarios.catalogue;

import dev.gameday.demo.Flaw;
import dev.gameday.scenarios.Experiment;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The experiments that reproduce the runbooks' incidents against the demo trading system, each with the flaw its
 * negative control switches on.
 *
 *
 * <pre>{@code
 * Catalogue.Entry entry = Catalogue.find("redis-timeouts").orElseThrow();
 * ExperimentResult control = ExperimentRunner.create().run(entry.negativeControl());   // must FAIL
 * }</pre>
 */
public final class Catalogue {

    /**
     * One experiment of the catalogue.
     *
     * @param name                 what the command line calls it
     * @param incident             the incident it reproduces, as INCIDENTS.md numbers it
     * @param against              the experiment against the demo system with the given flaws
     * @param negativeControlFlaws the flaws under which it must fail
     */
    public record Entry(String name, String incident, Function<Set<Flaw>, Experiment> against, Set<Flaw> negativeControlFlaws) {
        public Entry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(against, "against");
            negativeControlFlaws = Set.copyOf(negativeControlFlaws);
            if (negativeControlFlaws.isEmpty()) {
                throw new IllegalArgumentException("Catalogue entry '" + name + "' needs a negative control: a flaw under"
                        + " which the experiment must fail.");
            }
        }

        public Experiment experiment() {
            return against.apply(Set.of());
        }

        public Experiment negativeControl() {
            return against.apply(negativeControlFlaws).renamed(name + "-negative-control");
        }
    }

    private static final List<Entry> ENTRIES = List.of(
            new Entry(RedisTimeouts.NAME, "2. Redis connection timeouts", RedisTimeouts::against,
                    Set.of(Flaw.NO_REDIS_TIMEOUT)));

    private Catalogue() {
    }

    public static List<Entry> entries() {
        return ENTRIES;
    }

    public static Optional<Entry> find(String name) {
        return ENTRIES.stream().filter(e -> e.name().equals(name)).findFirst();
    }
}
