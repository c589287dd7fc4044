package dev.gameday.scenarios;

import dev.gameday.assertions.Criterion;
import dev.gameday.assertions.LatencyCriterion;
import dev.gameday.assertions.Objective;
import dev.gameday.assertions.ObjectiveSet;
import dev.gameday.assertions.Phase;
import dev.gameday.assertions.PhaseObjective;
import dev.gameday.assertions.RecoveryObjective;
import dev.gameday.assertions.ThroughputCriterion;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One chaos experiment, as data: given an environment, when load and a fault on a schedule, then objectives. The
 * builder's steps only allow that order, so a definition reads like the experiment it is.
 *
 * <p>Everything that can be checked without the environment is checked when it is built, so a mistake costs no
 * container start: the schedule against the objectives, criteria this load could never violate or never meet (a
 * unit mistaken), the traffic's shares (they add up to 1, series named apart) and, when both are declared, the
 * fault's target against the environment's targets.
 *
 * <pre>{@code
 * Experiment redisTimeouts = Experiment.named("redis-timeouts", "Redis stops answering under load")
 *         .given(EnvironmentSource.of(DemoTradingSystem.TARGETS, () -> DemoTradingSystem.builder().start()))
 *         .when(new OrderTraffic(), OpenLoad.ratePerSecond(200))
 *         .inject(FaultSource.on("redis", NetworkFaults::timeout),
 *                 FaultSchedule.baseline(ofSeconds(20)).fault(ofSeconds(20)).observe(ofSeconds(40)))
 *         .scraping(ServerMetric.gauge("breaker-open", "resilience4j_circuitbreaker_state",
 *                 Map.of("name", "exchange", "state", "open")))   // optional: server-side series
 *         .then(objectives);
 * ExperimentResult result = ExperimentRunner.create().run(redisTimeouts);
 * }</pre>
 */
public final class Experiment {

    /** Observation past the recovery bound that the revert's verification and whole-second boundaries can use up. */
    static final Duration REVERT_MARGIN = Duration.ofSeconds(2);
    /** How far the traffic's shares may add up away from 1 (rounding in shares such as 1/3). */
    static final double SHARE_TOLERANCE = 1e-6;

    private final String name;
    private final String description;
    private final EnvironmentSource environment;
    private final Traffic traffic;
    private final OpenLoad load;
    private final List<FaultSource> faults;
    private final FaultSchedule schedule;
    private final ObjectiveSet objectives;
    private final Optional<DurabilityCheck> durability;
    private final List<ServerMetric> serverMetrics; // metrics: the gauges scraped into server-side series

    private Experiment(String name, String description, EnvironmentSource environment, Traffic traffic, OpenLoad load,
                       List<FaultSource> faults, FaultSchedule schedule, ObjectiveSet objectives,
                       Optional<DurabilityCheck> durability, List<ServerMetric> serverMetrics) {
        this.name = name;
        this.description = description;
        this.environment = Objects.requireNonNull(environment, "environment");
        this.traffic = Objects.requireNonNull(traffic, "traffic");
        this.load = Objects.requireNonNull(load, "load");
        this.faults = List.copyOf(faults);
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.objectives = Objects.requireNonNull(objectives, "objectives");
        this.durability = durability;
        this.serverMetrics = List.copyOf(serverMetrics); // metrics
        validate();
    }

    /** Starts a definition. */
    public static GivenStep named(String name, String description) {
        Objects.requireNonNull(description, "description");
        if (name == null || !name.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("Experiment name must be lower-case letters, digits and dashes, such as"
                    + " 'redis-timeouts', but was '" + name + "'.");
        }
        return new GivenStep(name, description);
    }

    /** Checks the durability of acknowledged writes at the end of the run. */
    public Experiment verifyingDurability(DurabilityCheck check) {
        return new Experiment(name, description, environment, traffic, load, faults, schedule, objectives,
                Optional.of(check), serverMetrics);
    }

    /** The same experiment against another environment, for example a deliberately flawed one. */
    public Experiment against(EnvironmentSource otherEnvironment) {
        return new Experiment(name, description, otherEnvironment, traffic, load, faults, schedule, objectives, durability,
                serverMetrics);
    }

    /** The same experiment under another name. */
    public Experiment renamed(String newName) {
        return named(newName, description).given(environment).when(traffic, load).inject(schedule, faults)
                .scraping(serverMetrics.toArray(ServerMetric[]::new)).then(objectives).withDurability(durability);
    }

    /** The same experiment with another load. */
    public Experiment withLoad(OpenLoad newLoad) {
        return new Experiment(name, description, environment, traffic, newLoad, faults, schedule, objectives, durability,
                serverMetrics);
    }

    /** The same experiment with another fault schedule. */
    public Experiment withSchedule(FaultSchedule newSchedule) {
        return new Experiment(name, description, environment, traffic, load, faults, newSchedule, objectives, durability,
                serverMetrics);
    }

    private Experiment withDurability(Optional<DurabilityCheck> check) {
        return new Experiment(name, description, environment, traffic, load, faults, schedule, objectives, check,
                serverMetrics);
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    public EnvironmentSource environment() {
        return environment;
    }

    public Traffic traffic() {
        return traffic;
    }

    public OpenLoad load() {
        return load;
    }

    /** Its faults, each with its slot in the fault window; one in most experiments. */
    public List<FaultSource> faults() {
        return faults;
    }

    public FaultSchedule schedule() {
        return schedule;
    }

    public ObjectiveSet objectives() {
        return objectives;
    }

    public Optional<DurabilityCheck> durability() {
        return durability;
    }

    /** The system's gauges read into the timeline as server-side series while the load runs; see {@link ServerMetric}. */
    public List<ServerMetric> serverMetrics() {
        return serverMetrics;
    }

    /** From the first request to the last: warmup, baseline, fault and observation. */
    public Duration duration() {
        return load.warmup().plus(schedule.length());
    }

    /** When the fault is due, since the first request. */
    public Duration faultAt() {
        return load.warmup().plus(schedule.baseline());
    }

    /** The settings of a run, in display order, for report headers. */
    public Map<String, String> parameters() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("load", String.format(java.util.Locale.ROOT, "%.0f requests/s, open model", load.ratePerSecond()));
        parameters.put("warmup", seconds(load.warmup()));
        parameters.put("baseline", seconds(schedule.baseline()));
        parameters.put("fault", seconds(schedule.fault()));
        parameters.put("observe", seconds(schedule.observe()));
        parameters.put("request timeout", seconds(load.requestTimeout()));
        return parameters;
    }

    private void validate() {
        Optional<RecoveryObjective> recovery = objectives.recovery();
        if (recovery.isPresent()) {
            // the revert's verification and the whole-second phase boundaries take up to 2 s of the observation
            Duration needed = recovery.get().within().plus(recovery.get().holdFor()).plus(REVERT_MARGIN);
            if (schedule.observe().compareTo(needed) < 0) {
                throw new IllegalArgumentException("Experiment '" + name + "': it observes " + seconds(schedule.observe())
                        + " after the fault, but recovering within " + seconds(recovery.get().within()) + " and holding for "
                        + seconds(recovery.get().holdFor()) + " (plus " + seconds(REVERT_MARGIN) + " for the revert's"
                        + " verification) needs at least " + seconds(needed)
                        + ". Lengthen observe() or shorten the recovery bound.");
            }
        }
        boolean assessesAfter = objectives.objectives().stream()
                .anyMatch(o -> o instanceof PhaseObjective p && p.phase() == Phase.AFTER);
        if (assessesAfter && schedule.observe().compareTo(objectives.recoveryBound().plusSeconds(5)) < 0) {
            throw new IllegalArgumentException("Experiment '" + name + "': objectives for the after phase need at least 5 s"
                    + " of observation past the recovery bound of " + seconds(objectives.recoveryBound()) + ", but it"
                    + " observes " + seconds(schedule.observe()) + ". Lengthen observe().");
        }
        boolean assessesBaseline = objectives.objectives().stream()
                .anyMatch(o -> o instanceof PhaseObjective p && p.phase() == Phase.BASELINE);
        if (assessesBaseline && schedule.baseline().compareTo(Duration.ofSeconds(5)) < 0) {
            throw new IllegalArgumentException("Experiment '" + name + "': a baseline of " + seconds(schedule.baseline())
                    + " is too short to assess; give it at least 5 s.");
        }
        requireLongEnoughPhases();
        criteria().forEach(this::requireDecidable);
        requireTrafficMix();
        requireSlotsInWindow();
        requireKnownTarget();
        ServerSideChecks.validate(name, serverMetrics, criteria(), traffic); // metrics
    }

    /** A phase whose objectives need a longer window (a growth) than the schedule gives it is refused. */
    private void requireLongEnoughPhases() {
        Map<Phase, Duration> planned = new EnumMap<>(Phase.class);
        planned.put(Phase.BASELINE, schedule.baseline());
        planned.put(Phase.FAULT, schedule.fault());
        planned.put(Phase.AFTER, schedule.observe().minus(objectives.recoveryBound()));
        planned.forEach((phase, length) -> {
            Duration needed = objectives.minimumLength(phase);
            if (length.compareTo(needed) < 0) {
                throw new IllegalArgumentException("Experiment '" + name + "': the objectives of phase '" + phase.label()
                        + "' judge a growth, which needs at least " + seconds(needed) + " of readings, but the schedule"
                        + " gives that phase " + seconds(length) + ". Lengthen it"
                        + (phase == Phase.AFTER ? " (observe() past the recovery bound)" : "") + ".");
            }
        });
    }

    /** Every criterion, those of the recovery objective included. */
    private List<Criterion> criteria() {
        List<Criterion> criteria = new ArrayList<>();
        for (Objective objective : objectives.objectives()) {
            if (objective instanceof PhaseObjective phase) {
                criteria.add(phase.criterion());
            } else if (objective instanceof RecoveryObjective recovery) {
                criteria.addAll(recovery.steadyState());
            }
        }
        return criteria;
    }

    /**
     * A criterion that this load can never violate, or never meet, is almost surely written in the wrong unit
     * (seconds for milliseconds, a percentage of the rate for requests per second).
     */
    private void requireDecidable(Criterion criterion) {
        if (criterion instanceof LatencyCriterion latency && latency.threshold().compareTo(load.requestTimeout()) > 0) {
            throw new IllegalArgumentException("Experiment '" + name + "': objective '" + latency.describe() + "' can never"
                    + " be violated: requests are given up after " + seconds(load.requestTimeout()) + ", so none takes"
                    + " longer from its send. Did you mean milliseconds (Duration.ofMillis(..))? Otherwise keep the"
                    + " threshold below the request timeout, or raise it with OpenLoad.withRequestTimeout(..).");
        }
        if (criterion instanceof ThroughputCriterion throughput && throughput.minimumPerSecond() > load.ratePerSecond()) {
            throw new IllegalArgumentException("Experiment '" + name + "': objective '" + throughput.describe() + "' can"
                    + " never be met: the load offers " + plain(load.ratePerSecond())
                    + " requests/s. Throughput is in successful requests per second, not a percentage of the rate: for 95 %"
                    + " of it write atLeast(" + plain(0.95 * load.ratePerSecond()) + ").");
        }
    }

    /** The shares must add up to 1 and the series be named apart, or the figures per series mean nothing. */
    private void requireTrafficMix() {
        List<TrafficRequest> requests;
        try {
            // suppliers only: no Gatling request is built here
            requests = traffic.requests(new WriteLedger());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Experiment '" + name + "': its traffic could not list its requests: "
                    + e.getMessage(), e);
        }
        if (requests == null || requests.isEmpty()) {
            throw new IllegalArgumentException("Experiment '" + name + "': its traffic has no requests; name at least one,"
                    + " with share 1.");
        }
        Set<String> seen = new HashSet<>();
        List<String> duplicates = requests.stream().map(TrafficRequest::series).filter(s -> !seen.add(s)).distinct()
                .toList();
        if (!duplicates.isEmpty()) {
            throw new IllegalArgumentException("Experiment '" + name + "': its traffic names series " + duplicates
                    + " more than once; each request needs its own name, or their figures are reported as one.");
        }
        double total = requests.stream().mapToDouble(TrafficRequest::share).sum();
        if (Math.abs(total - 1) > SHARE_TOLERANCE) {
            String shares = requests.stream().map(r -> "'" + r.series() + "' " + plain(r.share()))
                    .collect(Collectors.joining(", "));
            throw new IllegalArgumentException("Experiment '" + name + "': the traffic's shares add up to " + plain(total)
                    + ", not 1: " + shares + ". Each share is a fraction of the total rate; make them add up to 1.");
        }
    }

    /**
     * With both the fault's target and the environment's targets declared, a misspelt target fails here, not later;
     * with stand-ins declared, so does a fault the target cannot take (a network fault on a target without a proxy),
     * naming the capability it lacks.
     */
    private void requireKnownTarget() {
        Optional<List<String>> targets = environment.targetNames();
        for (FaultSource fault : faults) {
            Optional<String> target = fault.targetName();
            if (target.isPresent() && targets.isPresent() && !targets.get().contains(target.get())) {
                throw new IllegalArgumentException("Experiment '" + name + "': its fault targets '" + target.get()
                        + "', but the environment has no such target; it has " + targets.get()
                        + ". Use one of those names.");
            }
        }
        environment.standIns().ifPresent(standIns -> {
            for (FaultSource fault : faults) {
                try {
                    fault.on(standIns);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("Experiment '" + name + "': " + e.getMessage(), e);
                }
            }
        });
    }

    /** Every fault's slot lies inside the fault window. */
    private void requireSlotsInWindow() {
        if (faults.isEmpty()) {
            throw new IllegalArgumentException("Experiment '" + name + "': it injects no fault; name at least one.");
        }
        for (FaultSource fault : faults) {
            Duration end = fault.offset().plus(fault.length().orElse(schedule.fault().minus(fault.offset())));
            if (fault.offset().compareTo(schedule.fault()) >= 0 || end.compareTo(schedule.fault()) > 0
                    || schedule.fault().minus(fault.offset()).compareTo(FaultSchedule.MIN_FAULT) < 0) {
                throw new IllegalArgumentException("Experiment '" + name + "': " + fault + " does not fit in the fault"
                        + " window of " + seconds(schedule.fault()) + "; a slot must start inside it, last at least 2 s"
                        + " and end by its end. Shorten the slot or lengthen the window.");
            }
        }
    }

    /** A number as people write it: {@code 0.5}, {@code 99.5}, {@code 190}. */
    static String plain(double value) {
        return BigDecimal.valueOf(value).round(new MathContext(10)).stripTrailingZeros().toPlainString();
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1_000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    /** Names the environment. */
    public static final class GivenStep {
        private final String name;
        private final String description;

        private GivenStep(String name, String description) {
            this.name = name;
            this.description = description;
        }

        public WhenStep given(EnvironmentSource environment) {
            return new WhenStep(this, Objects.requireNonNull(environment, "environment"));
        }
    }

    /** Names the traffic and the load. */
    public static final class WhenStep {
        private final GivenStep given;
        private final EnvironmentSource environment;

        private WhenStep(GivenStep given, EnvironmentSource environment) {
            this.given = given;
            this.environment = environment;
        }

        public FaultStep when(Traffic traffic, OpenLoad load) {
            return new FaultStep(this, Objects.requireNonNull(traffic, "traffic"), Objects.requireNonNull(load, "load"));
        }
    }

    /** Names the fault and its schedule. */
    public static final class FaultStep {
        private final WhenStep when;
        private final Traffic traffic;
        private final OpenLoad load;

        private FaultStep(WhenStep when, Traffic traffic, OpenLoad load) {
            this.when = when;
            this.traffic = traffic;
            this.load = load;
        }

        public ThenStep inject(FaultSource fault, FaultSchedule schedule) {
            return new ThenStep(this, List.of(Objects.requireNonNull(fault, "fault")),
                    Objects.requireNonNull(schedule, "schedule"));
        }

        /**
         * Several faults on one clock: each fills the fault window, or the slot {@link FaultSource#during} gives it,
         * so they act at once or in sequence. Two faults on one proxy keep toxics of their own.
         *
         * <pre>{@code
         * .inject(FaultSchedule.baseline(ofSeconds(20)).fault(ofSeconds(30)).observe(ofSeconds(40)),
         *         FaultSource.on("redis", NetworkFaults::timeout),
         *         FaultSource.on("exchange", NetworkFaults::proxyDown).during(ofSeconds(10), ofSeconds(10)))
         * }</pre>
         */
        public ThenStep inject(FaultSchedule schedule, FaultSource first, FaultSource... more) {
            List<FaultSource> all = new ArrayList<>();
            all.add(Objects.requireNonNull(first, "fault"));
            for (FaultSource fault : more) {
                all.add(Objects.requireNonNull(fault, "fault"));
            }
            return new ThenStep(this, all, Objects.requireNonNull(schedule, "schedule"));
        }

        ThenStep inject(FaultSchedule schedule, List<FaultSource> faults) {
            return new ThenStep(this, faults, schedule);
        }
    }

    /** Names the objectives; completes the definition. */
    public static final class ThenStep {
        private final FaultStep faultStep;
        private final List<FaultSource> faults;
        private final FaultSchedule schedule;

        private ThenStep(FaultStep faultStep, List<FaultSource> faults, FaultSchedule schedule) {
            this.faultStep = faultStep;
            this.faults = faults;
            this.schedule = schedule;
        }

        private List<ServerMetric> serverMetrics = List.of();

        /**
         * Reads these gauges of the system into the timeline while the load runs, as server-side series that
         * objectives can judge ({@code Criteria.serverMetric("breaker-open").atMost(0)}).
         */
        public ThenStep scraping(ServerMetric... metrics) {
            ThenStep step = new ThenStep(faultStep, faults, schedule);
            step.serverMetrics = List.of(metrics);
            return step;
        }

        public Experiment then(ObjectiveSet objectives) {
            GivenStep given = faultStep.when.given;
            return new Experiment(given.name, given.description, faultStep.when.environment, faultStep.traffic,
                    faultStep.load, faults, schedule, objectives, Optional.empty(), serverMetrics);
        }
    }
}
