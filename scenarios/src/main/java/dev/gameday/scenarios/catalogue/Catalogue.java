package dev.gameday.scenarios.catalogue;

import dev.gameday.assertions.DurabilityObjective;
import dev.gameday.assertions.Phase;
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
     * How an entry's negative control must fail: under these flaws, the objective named so must be violated in this
     * scope (a phase, or the whole run for durability). The shared catalogue test runs every entry's control and checks
     * exactly that, so no entry ships without one, and none fails for another reason unnoticed.
     *
     * <pre>{@code
     * new NegativeControl(Set.of(Flaw.NO_REDIS_TIMEOUT), Phase.FAULT, "success rate > 99.50 %")
     * NegativeControl.losesAcknowledgedWrites(Set.of(Flaw.ACK_BEFORE_COMMIT))
     * }</pre>
     *
     * @param flaws     the demo system's flaws the control switches on
     * @param scope     where the objective must be violated: a phase's label ({@code fault}) or {@code whole run}
     * @param objective the violated objective's name, as reports print it
     */
    public record NegativeControl(Set<Flaw> flaws, String scope, String objective) {
        public NegativeControl {
            flaws = Set.copyOf(flaws);
            Objects.requireNonNull(scope, "scope");
            Objects.requireNonNull(objective, "objective");
        }

        /** The objective must be violated in this phase. */
        public NegativeControl(Set<Flaw> flaws, Phase phase, String objective) {
            this(flaws, phase.label(), objective);
        }

        /** Under these flaws, an acknowledged write must be found missing at the end of the run. */
        public static NegativeControl losesAcknowledgedWrites(Set<Flaw> flaws) {
            return new NegativeControl(flaws, new DurabilityObjective().scope(), new DurabilityObjective().name());
        }

        /** How the violation reads in a report: {@code Objective 'x' violated in phase 'fault': expected }. */
        public String messagePrefix() {
            return "Objective '" + objective + "' violated in " + (scope.equals(new DurabilityObjective().scope())
                    ? "the " + scope : "phase '" + scope + "'") + ": expected ";
        }
    }

    /**
     * One experiment of the catalogue.
     *
     * @param name            what the command line calls it
     * @param incident        the incident it reproduces, as INCIDENTS.md numbers it
     * @param against         the experiment against the demo system with the given flaws
     * @param control         the flaws under which it must fail, and how
     */
    public record Entry(String name, String incident, Function<Set<Flaw>, Experiment> against,
                        NegativeControl control) {
        public Entry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(against, "against");
            Objects.requireNonNull(control, "control");
            if (control.flaws().isEmpty()) {
                throw new IllegalArgumentException("Catalogue entry '" + name + "' needs a negative control: a flaw under"
                        + " which the experiment must fail.");
            }
        }

        /** The flaws of its negative control. */
        public Set<Flaw> negativeControlFlaws() {
            return control.flaws();
        }

        public Experiment experiment() {
            return against.apply(Set.of());
        }

        public Experiment negativeControl() {
            return against.apply(control.flaws()).renamed(name + "-negative-control");
        }
    }

    private static final List<Entry> ENTRIES = List.of(
            new Entry(RedisTimeouts.NAME, "2. Redis connection timeouts", RedisTimeouts::against,
                    new NegativeControl(Set.of(Flaw.NO_REDIS_TIMEOUT), Phase.FAULT, "success rate > 99.50 %")),
            new Entry(RedisFrozen.NAME, "3. Redis down / frozen", RedisFrozen::against,
                    new NegativeControl(Set.of(Flaw.NO_REDIS_TIMEOUT), Phase.FAULT, "success rate > 99.50 %")),
            new Entry(RedisDown.NAME, "3. Redis down / frozen", RedisDown::against,
                    new NegativeControl(Set.of(Flaw.CACHE_REQUIRED), Phase.FAULT, "success rate > 99.50 %")),
            new Entry(PostgresPartition.NAME, "4. Network partition between services", PostgresPartition::against,
                    new NegativeControl(Set.of(Flaw.NO_DATABASE_TIMEOUT), Phase.FAULT, "p95 latency < 2,000 ms")),
            new Entry(BreakerStuckOpen.NAME, "5. Circuit breaker stuck open", BreakerStuckOpen::against,
                    new NegativeControl(Set.of(Flaw.BREAKER_NEVER_HALF_OPENS), Phase.RECOVERY, "time to recover < 25 s")),
            new Entry(ExchangeLatency.NAME, "6. External API slowness / failures", ExchangeLatency::against,
                    new NegativeControl(Set.of(Flaw.NO_EXCHANGE_TIMEOUT), Phase.FAULT, "p95 latency < 500 ms")),
            new Entry(ExchangeErrors.NAME, "6. External API slowness / failures", ExchangeErrors::against,
                    new NegativeControl(Set.of(Flaw.NO_EXCHANGE_FALLBACK), Phase.FAULT, "success rate > 99.50 %")),
            new Entry(PoolExhaustion.NAME, "7. Database connection pool exhausted", PoolExhaustion::against,
                    new NegativeControl(Set.of(Flaw.LEAKING_POOL), Phase.RECOVERY, "time to recover < 15 s")),
            new Entry(LockContention.NAME, "8. Slow queries / lock contention", LockContention::against,
                    new NegativeControl(Set.of(Flaw.NO_DATABASE_TIMEOUT), Phase.FAULT, "p95 latency < 2,500 ms")),
            new Entry(MemoryLeak.NAME, "9. Memory leak", MemoryLeak::against,
                    new NegativeControl(Set.of(Flaw.LEAKING_CACHE), Phase.BASELINE, MemoryLeak.HEAP_FLAT.describe())),
            new Entry(CpuStarvation.NAME, "10. CPU starvation / throttling", CpuStarvation::against,
                    new NegativeControl(Set.of(Flaw.EXPENSIVE_REQUEST_PATH), Phase.FAULT, "p95 latency < 2,000 ms")),
            // last: it restarts the service, whose JIT is cold again afterwards
            new Entry(OomKill.NAME, "1. Out of memory (OOMKilled)", OomKill::against,
                    NegativeControl.losesAcknowledgedWrites(Set.of(Flaw.ACK_BEFORE_COMMIT))));

    private Catalogue() {
    }

    public static List<Entry> entries() {
        return ENTRIES;
    }

    public static Optional<Entry> find(String name) {
        return ENTRIES.stream().filter(e -> e.name().equals(name)).findFirst();
    }
}
