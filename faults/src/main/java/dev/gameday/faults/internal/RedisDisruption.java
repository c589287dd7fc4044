package dev.gameday.faults.internal;

import dev.gameday.environments.Credentials;
import dev.gameday.environments.Endpoint;
import dev.gameday.faults.AppliedState;
import dev.gameday.faults.Disruption;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Faults in Redis's own protocol, applied over the harness's own connections to the target's endpoint (not through
 * its proxy). Every connection a fault holds is named {@code gameday-<fault>-<id>} with {@code CLIENT SETNAME}, so
 * that Redis's {@code CLIENT LIST} shows it and a cleanup in another process can find it; what the revert needs (the
 * previous {@code maxmemory}, {@code maxclients}, {@code busy-reply-threshold}) is read in {@link #prepare()} and
 * recorded in the {@link AppliedState}.
 *
 * <pre>{@code
 * Disruption oom = new RedisDisruption(RedisDisruption.Kind.MAXMEMORY, "redis", endpoint, Optional.empty(),
 *         "redis-maxmemory");
 * AppliedState state = oom.prepare();   // remembers maxmemory and maxmemory-policy
 * oom.apply(state);                     // SET now gets -OOM
 * oom.revert(state);                    // both values back as they were
 * }</pre>
 */
public final class RedisDisruption implements Disruption {

    /** The backend name in {@link AppliedState}s and the fault journal. */
    public static final String BACKEND = "redis";
    /** Every client connection this project holds open on Redis is named with this prefix. */
    public static final String CLIENT_PREFIX = "gameday-";
    /** How long a probe waits for an answer before Redis counts as not answering. */
    public static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);
    /**
     * How long one {@code CLIENT PAUSE} lasts. A pause of all clients cannot be lifted early on Redis 7.0 (even
     * {@code CLIENT UNPAUSE} waits for it), so the fault pauses in short steps and a revert ends within one step.
     */
    public static final Duration PAUSE_STEP = Duration.ofMillis(500);
    /** How many pauses wait, pipelined, on the pausing connection: Redis runs the next one the moment one ends. */
    static final int PAUSES_QUEUED = 8;
    /** The {@code busy-reply-threshold} during a busy fault: after this long Redis answers others with BUSY. */
    public static final Duration BUSY_REPLY_THRESHOLD = Duration.ofMillis(100);
    /** The busy script ends by itself after this long, should nothing ever kill it. */
    public static final Duration LONGEST_BUSY = Duration.ofMinutes(30);
    /** Connections allowed above those open when the exhaustion fault starts; the fault then holds them. */
    static final int CONNECTION_HEADROOM = 3;
    /** Redis's answer to a connection beyond {@code maxclients}. */
    static final String MAX_CLIENTS_REACHED = "max number of clients reached";

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(5);
    private static final String BUSY_SCRIPT = """
            local deadline = tonumber(redis.call('TIME')[1]) + tonumber(ARGV[1])
            local i = 0
            while true do
              i = i + 1
              if i % 1000000 == 0 and tonumber(redis.call('TIME')[1]) >= deadline then
                return 'gameday: busy for the longest allowed time'
              end
            end""";

    /** What the fault does to Redis. */
    public enum Kind {
        /** {@code CLIENT PAUSE ... ALL}, renewed: no client command is answered until the revert. */
        CLIENT_PAUSE("client-pause"),
        /** A Lua script that never returns: other clients get {@code BUSY} until {@code SCRIPT KILL}. */
        BUSY("busy"),
        /** {@code maxmemory} 1 byte with {@code noeviction}: writes get {@code OOM}, reads are answered. */
        MAXMEMORY("maxmemory"),
        /** {@code maxclients} reached by held connections: new connections are refused, open ones keep working. */
        CONNECTION_EXHAUSTION("connection-exhaustion");

        private final String recorded;

        Kind(String recorded) {
            this.recorded = recorded;
        }

        /** Its name in the applied state. */
        public String recorded() {
            return recorded;
        }

        static Kind ofRecorded(String recorded) {
            for (Kind kind : values()) {
                if (kind.recorded.equals(recorded)) {
                    return kind;
                }
            }
            throw new IllegalStateException("Applied state of backend 'redis' names fault '" + recorded + "', which this"
                    + " version does not know (it knows client-pause, busy, maxmemory, connection-exhaustion).");
        }
    }

    private final Kind kind;
    private final String targetName;
    private final Endpoint endpoint;
    private final Optional<Credentials> credentials;
    private final String faultName;
    private final Map<String, Pauser> pausers = new ConcurrentHashMap<>();
    private final Map<String, Script> scripts = new ConcurrentHashMap<>();
    private final Map<String, List<RedisConnection>> heldConnections = new ConcurrentHashMap<>();
    private final Map<String, Holdings> keepers = new ConcurrentHashMap<>();

    public RedisDisruption(Kind kind, String targetName, Endpoint endpoint, Optional<Credentials> credentials,
                           String faultName) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.targetName = Objects.requireNonNull(targetName, "targetName");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.faultName = Objects.requireNonNull(faultName, "faultName");
    }

    @Override
    public String describe() {
        return switch (kind) {
            case CLIENT_PAUSE -> "Redis CLIENT PAUSE ALL on '" + targetName + "' (" + endpoint + "), renewed every "
                    + PAUSE_STEP.toMillis() + " ms: no client command is answered";
            case BUSY -> "Redis on '" + targetName + "' (" + endpoint + ") busy in a Lua script that does not return:"
                    + " other clients get BUSY errors";
            case MAXMEMORY -> "Redis maxmemory on '" + targetName + "' (" + endpoint + ") lowered to 1 byte with"
                    + " noeviction: writes refused with OOM, reads answered";
            case CONNECTION_EXHAUSTION -> "Redis maxclients on '" + targetName + "' (" + endpoint + ") reached by held"
                    + " connections: new connections refused, open ones keep working";
        };
    }

    /** Names this injection's client connections and reads the settings its revert restores. */
    @Override
    public AppliedState prepare() throws IOException {
        AppliedState state = AppliedState.of(BACKEND)
                .with("fault", kind.recorded())
                .with("endpoint", endpoint.host() + ":" + endpoint.port())
                .with("client-name", CLIENT_PREFIX + faultName + "-" + UUID.randomUUID().toString().substring(0, 8));
        if (credentials.isPresent() && !credentials.get().password().isEmpty()) {
            state = state.with("user", credentials.get().user()).with("password", credentials.get().password());
        }
        if (kind == Kind.CLIENT_PAUSE) {
            return state.with("pause-step-ms", Long.toString(PAUSE_STEP.toMillis()));
        }
        try (RedisConnection redis = connect(state, ADMIN_TIMEOUT)) {
            return switch (kind) {
                case BUSY -> state.with("previous-busy-reply-threshold", redis.configGet("busy-reply-threshold"));
                case MAXMEMORY -> state.with("previous-maxmemory", redis.configGet("maxmemory"))
                        .with("previous-maxmemory-policy", redis.configGet("maxmemory-policy"))
                        .with("probe-key", "gameday:probe:" + state.value("client-name"));
                case CONNECTION_EXHAUSTION -> state.with("previous-maxclients", redis.configGet("maxclients"));
                case CLIENT_PAUSE -> throw new AssertionError();
            };
        }
    }

    @Override
    public void apply(AppliedState injection) throws IOException {
        String name = injection.value("client-name");
        switch (kind) {
            case CLIENT_PAUSE -> {
                RedisConnection redis = connect(injection, ADMIN_TIMEOUT);
                Pauser pauser = new Pauser(redis, name, Long.parseLong(injection.value("pause-step-ms")));
                pausers.put(name, pauser);
                redis.require("CLIENT", "SETNAME", name);
                pauser.start();
                pauser.awaitFirstAcknowledgement(ADMIN_TIMEOUT);
            }
            case BUSY -> {
                try (RedisConnection admin = connect(injection, ADMIN_TIMEOUT)) {
                    admin.require("CONFIG", "SET", "busy-reply-threshold",
                            Long.toString(BUSY_REPLY_THRESHOLD.toMillis()));
                }
                RedisConnection redis = connect(injection, ADMIN_TIMEOUT);
                scripts.put(name, new Script(redis, System.nanoTime()));
                redis.require("CLIENT", "SETNAME", name);
                redis.send("EVAL", BUSY_SCRIPT, "0", Long.toString(LONGEST_BUSY.toSeconds()));
            }
            case MAXMEMORY -> {
                try (RedisConnection admin = connect(injection, ADMIN_TIMEOUT)) {
                    // the policy first: with an evicting policy, a 1-byte limit would evict every key
                    admin.require("CONFIG", "SET", "maxmemory-policy", "noeviction");
                    admin.require("CONFIG", "SET", "maxmemory", "1");
                }
            }
            case CONNECTION_EXHAUSTION -> {
                int limit;
                try (RedisConnection admin = connect(injection, ADMIN_TIMEOUT)) {
                    limit = Integer.parseInt(admin.info("clients", "connected_clients")) + CONNECTION_HEADROOM;
                    admin.require("CONFIG", "SET", "maxclients", Integer.toString(limit));
                }
                Holdings holdings = new Holdings(injection, name);
                heldConnections.put(name, holdings.held);
                holdings.fill(limit + CONNECTION_HEADROOM);
                holdings.keep();
                keepers.put(name, holdings);
            }
        }
    }

    /**
     * One free slot taken and named, or empty when Redis refused the connection for lack of slots (also when it reset
     * the connection before its refusal could be read: full all the same).
     */
    private static Optional<RedisConnection> takeSlot(AppliedState injection, String name) throws IOException {
        RedisConnection redis = RedisConnection.open(endpoint(injection), ADMIN_TIMEOUT);
        Object answer;
        try {
            answer = greet(redis, injection, "CLIENT", "SETNAME", name);
        } catch (java.net.SocketException e) {
            redis.close();
            return Optional.empty();
        }
        if (answer instanceof RedisConnection.Error error) {
            redis.close();
            if (error.message().contains(MAX_CLIENTS_REACHED)) {
                return Optional.empty();
            }
            throw new IOException("Redis at " + redis.endpoint() + " refused CLIENT SETNAME on a connection to hold: "
                    + error.message() + ". Expected OK; give the target's user the right to run CLIENT SETNAME.");
        }
        return Optional.of(redis);
    }

    /**
     * The connections that hold Redis's slots, and a thread that takes every slot freed while the fault lasts (a client
     * of the system that disconnects), so that the system cannot reconnect until the revert.
     */
    private static final class Holdings {
        private static final Duration RETAKE_EVERY = Duration.ofMillis(250);
        private final AppliedState injection;
        private final String name;
        private final List<RedisConnection> held = new CopyOnWriteArrayList<>();
        private volatile boolean stopped;
        private Thread keeper;

        Holdings(AppliedState injection, String name) {
            this.injection = injection;
            this.name = name;
        }

        /** Takes slots until Redis refuses one; at most {@code most}. */
        void fill(int most) throws IOException {
            for (int i = 0; i < most && !stopped; i++) {
                Optional<RedisConnection> slot = takeSlot(injection, name);
                if (slot.isEmpty()) {
                    return;
                }
                held.add(slot.get());
            }
        }

        void keep() {
            keeper = new Thread(() -> {
                while (!stopped) {
                    sleep(RETAKE_EVERY.toMillis());
                    try {
                        fill(CONNECTION_HEADROOM);
                    } catch (IOException e) {
                        // Redis did not answer this time; the next round tries again
                    }
                }
            }, "gameday-redis-slots-" + name);
            keeper.setDaemon(true);
            keeper.start();
        }

        void stop() {
            stopped = true;
            if (keeper != null) {
                try {
                    keeper.join(ADMIN_TIMEOUT.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @Override
    public void revert(AppliedState injection) throws IOException {
        String name = injection.value("client-name");
        switch (kind) {
            case CLIENT_PAUSE -> {
                Pauser pauser = pausers.remove(name);
                if (pauser != null) {
                    pauser.stop();
                }
            }
            case BUSY -> {
                Script script = scripts.remove(name);
                try {
                    revertRecorded(injection);
                } finally {
                    if (script != null) {
                        script.connection().close();
                    }
                }
                return;
            }
            case CONNECTION_EXHAUSTION -> {
                Holdings keeper = keepers.remove(name);
                if (keeper != null) {
                    keeper.stop();
                }
                List<RedisConnection> held = heldConnections.remove(name);
                if (held != null && !held.isEmpty()) {
                    try {
                        // a slot of our own: with maxclients reached, a new connection could not do it
                        held.get(0).require("CONFIG", "SET", "maxclients", injection.value("previous-maxclients"));
                    } catch (IOException e) {
                        // the connection broke: the fresh one below does it, now that ours are closed
                    } finally {
                        held.forEach(RedisConnection::close);
                    }
                }
            }
            case MAXMEMORY -> {
                // nothing held: the recorded values are all there is to restore
            }
        }
        revertRecorded(injection);
    }

    /**
     * Reverts an injection from its recorded state alone (the fault journal's cleanup, in another process): kills the
     * clients it named, ends its script, and sets back the settings it changed. A Redis that refuses connections went
     * away with its environment, and nothing is left.
     */
    public static String revertRecorded(AppliedState state) throws IOException {
        Kind kind = Kind.ofRecorded(state.value("fault"));
        String name = state.value("client-name");
        String where = "Redis at " + state.value("endpoint");
        Duration timeout = kind == Kind.CLIENT_PAUSE
                // CLIENT LIST waits until the pause ends: at most the pauses queued on a connection not yet closed
                ? Duration.ofMillis(Long.parseLong(state.value("pause-step-ms")) * (PAUSES_QUEUED + 4))
                : ADMIN_TIMEOUT;
        RedisConnection redis;
        try {
            redis = connectForRevert(state, timeout);
        } catch (ConnectException e) {
            return where + " no longer accepts connections: it went away with its environment, so nothing is left"
                    + " applied";
        }
        try (redis) {
            if (kind == Kind.BUSY) {
                String killed = killScript(redis, where);
                redis.require("CONFIG", "SET", "busy-reply-threshold", state.value("previous-busy-reply-threshold"));
                List<String> clients = killNamedClients(redis, name);
                return killed + "; busy-reply-threshold set back to " + state.value("previous-busy-reply-threshold")
                        + (clients.isEmpty() ? "" : "; killed client " + name + " " + clients);
            }
            if (kind == Kind.MAXMEMORY) {
                redis.require("CONFIG", "SET", "maxmemory", state.value("previous-maxmemory"));
                redis.require("CONFIG", "SET", "maxmemory-policy", state.value("previous-maxmemory-policy"));
                redis.require("DEL", state.value("probe-key"));
                return where + ": maxmemory set back to " + state.value("previous-maxmemory") + " and"
                        + " maxmemory-policy to " + state.value("previous-maxmemory-policy");
            }
            List<String> clients = killNamedClients(redis, name);
            String outcome = where + ": " + (clients.isEmpty() ? "no client named '" + name + "' left"
                    : "killed client '" + name + "' " + clients);
            if (kind == Kind.CONNECTION_EXHAUSTION) {
                redis.require("CONFIG", "SET", "maxclients", state.value("previous-maxclients"));
                return outcome + "; maxclients set back to " + state.value("previous-maxclients");
            }
            return outcome + "; its last CLIENT PAUSE has ended, Redis answers again";
        } catch (RedisRefusal e) {
            throw e.toIOException();
        }
    }

    @Override
    public Observation observe(AppliedState injection) {
        return switch (kind) {
            case CLIENT_PAUSE -> observePause(injection);
            case BUSY -> observeBusy(injection);
            case MAXMEMORY -> observeMaxmemory(injection);
            case CONNECTION_EXHAUSTION -> observeConnections(injection);
        };
    }

    /** One probe's timeout, {@link #PROBE_TIMEOUT}. */
    @Override
    public Duration observationTime() {
        return PROBE_TIMEOUT;
    }

    private Observation observePause(AppliedState injection) {
        Answer answer = probe(injection, "PING");
        if (answer.reply() instanceof String pong && pong.equals("PONG")) {
            return Observation.notInEffect("Redis PING to " + endpoint + " answered in " + answer.took());
        }
        String seen = "Redis PING to " + endpoint + " " + answer.describe();
        Pauser pauser = pausers.get(injection.value("client-name"));
        if (answer.timedOut() && pauser != null && pauser.pausedNow()) {
            return Observation.inEffect(seen + "; Redis acknowledged CLIENT PAUSE " + pauser.stepMillis + " ALL from"
                    + " client '" + pauser.name + "' " + pauser.sinceLastAcknowledgement() + " ms ago ("
                    + pauser.acknowledged.get() + " acknowledged so far)");
        }
        return Observation.inconclusive(seen + (pauser == null ? ", but this injection holds no pause"
                : ", but Redis has not acknowledged this injection's CLIENT PAUSE for "
                + pauser.sinceLastAcknowledgement() + " ms" + pauser.failure().map(f -> " (" + f + ")").orElse("")));
    }

    private Observation observeBusy(AppliedState injection) {
        Answer answer = probe(injection, "PING");
        String seen = "Redis PING to " + endpoint;
        Script script = scripts.get(injection.value("client-name"));
        if (answer.reply() instanceof RedisConnection.Error error && error.message().startsWith("BUSY")) {
            return Observation.inEffect(seen + " refused by Redis in " + answer.took() + ": " + error.message()
                    + (script == null ? "" : " (the script of client '" + injection.value("client-name")
                    + "' has run for " + (System.nanoTime() - script.started()) / 1_000_000 + " ms)"));
        }
        if (answer.reply() instanceof String pong && pong.equals("PONG")) {
            return settingsAsBefore(injection, seen + " answered in " + answer.took(),
                    "busy-reply-threshold", "previous-busy-reply-threshold");
        }
        return Observation.inconclusive(seen + " " + answer.describe() + ", which shows no BUSY answer yet");
    }

    private Observation observeMaxmemory(AppliedState injection) {
        String key = injection.value("probe-key");
        String seen = "SET to " + endpoint;
        long start = System.nanoTime();
        try (RedisConnection redis = connect(injection, PROBE_TIMEOUT)) {
            Object set = redis.call("SET", key, "gameday probe");
            String took = took(start);
            if (set instanceof RedisConnection.Error error && error.message().startsWith("OOM")) {
                Object get = redis.call("GET", key);
                String readAnswered = get instanceof RedisConnection.Error readError
                        ? "and a GET was refused too: " + readError.message()
                        : "while a GET on the same connection was answered";
                return Observation.inEffect(seen + " refused in " + took + ": " + error.message() + ", " + readAnswered
                        + "; Redis reports used_memory " + redis.info("memory", "used_memory") + " bytes, maxmemory "
                        + redis.info("memory", "maxmemory") + ", maxmemory_policy "
                        + redis.info("memory", "maxmemory_policy"));
            }
            if ("OK".equals(set)) {
                redis.require("DEL", key);
                Observation settings = settingsAsBefore(redis, injection, seen + " answered OK in " + took,
                        "maxmemory", "previous-maxmemory");
                return settings.effect() == Observation.Effect.NOT_IN_EFFECT
                        ? settingsAsBefore(redis, injection, settings.evidence(), "maxmemory-policy",
                        "previous-maxmemory-policy")
                        : settings;
            }
            return Observation.inconclusive(seen + " answered " + set + ", which is neither OK nor an OOM refusal");
        } catch (IOException e) {
            return Observation.inconclusive(seen + " failed: " + message(e));
        }
    }

    private Observation observeConnections(AppliedState injection) {
        String name = injection.value("client-name");
        String seen = "a new connection to " + endpoint;
        // a slot that freed up while the fault is held (a client of the system disconnected) is taken too
        for (int attempt = 0; attempt < CONNECTION_HEADROOM + 2; attempt++) {
            long start = System.nanoTime();
            RedisConnection redis;
            try {
                redis = connect(injection, PROBE_TIMEOUT, false);
            } catch (IOException e) {
                return Observation.inconclusive(seen + " could not be opened: " + message(e));
            }
            Object answer;
            try {
                answer = greet(redis, injection, "PING");
            } catch (IOException e) {
                redis.close();
                return Observation.inconclusive(seen + " got no answer to PING: " + message(e));
            }
            String took = took(start);
            if (answer instanceof RedisConnection.Error error && error.message().contains(MAX_CLIENTS_REACHED)) {
                redis.close();
                return Observation.inEffect(seen + " was refused in " + took + ": " + error.message() + "; "
                        + redisViewOfHeldConnections(name));
            }
            List<RedisConnection> held = heldConnections.get(name);
            if ("PONG".equals(answer) && held != null) {
                try {
                    redis.require("CLIENT", "SETNAME", name);
                    held.add(redis);
                    continue;
                } catch (IOException e) {
                    redis.close();
                    return Observation.inconclusive(seen + " answered PING and could not be held: " + message(e));
                }
            }
            try (redis) {
                if ("PONG".equals(answer)) {
                    return settingsAsBefore(redis, injection, seen + " answered PING in " + took, "maxclients",
                            "previous-maxclients");
                }
                return Observation.inconclusive(seen + " answered " + answer + ", which is neither PONG nor a refusal");
            } catch (IOException e) {
                return Observation.inconclusive(seen + " answered PING, but maxclients could not be read: "
                        + message(e));
            }
        }
        return Observation.inconclusive(seen + " was accepted " + (CONNECTION_HEADROOM + 2) + " times in a row even"
                + " though each was then held: clients of the system keep freeing slots");
    }

    /** What Redis says about the connections this injection holds, asked on one of them. */
    private String redisViewOfHeldConnections(String name) {
        List<RedisConnection> held = heldConnections.get(name);
        if (held == null || held.isEmpty()) {
            return "this injection holds no connection";
        }
        RedisConnection one = held.get(0);
        synchronized (one) {
            try {
                long ours = String.valueOf(one.require("CLIENT", "LIST")).lines()
                        .filter(line -> line.contains(" name=" + name + " ")).count();
                return "Redis reports connected_clients " + one.info("clients", "connected_clients") + " of maxclients "
                        + one.info("clients", "maxclients") + ", " + ours + " of them named '" + name + "'";
            } catch (IOException e) {
                return "Redis could not be asked on a held connection: " + message(e);
            }
        }
    }

    private Observation settingsAsBefore(AppliedState injection, String seen, String parameter, String recorded) {
        try (RedisConnection redis = connect(injection, PROBE_TIMEOUT)) {
            return settingsAsBefore(redis, injection, seen, parameter, recorded);
        } catch (IOException e) {
            return Observation.inconclusive(seen + ", but " + parameter + " could not be read: " + message(e));
        }
    }

    /** Not in effect only once the setting the fault changes reads back exactly as before it. */
    private static Observation settingsAsBefore(RedisConnection redis, AppliedState injection, String seen,
                                                String parameter, String recorded) throws IOException {
        String now = redis.configGet(parameter);
        String before = injection.value(recorded);
        return now.equals(before)
                ? Observation.notInEffect(seen + "; " + parameter + " " + now + " as before the fault")
                : Observation.inconclusive(seen + ", but " + parameter + " is " + now + ", not " + before
                + " as before the fault");
    }

    /** What a probe command on a fresh connection got, within {@link #PROBE_TIMEOUT}. */
    private record Answer(Object reply, boolean timedOut, String failure, String took) {
        String describe() {
            if (timedOut) {
                return "got no answer within " + PROBE_TIMEOUT.toMillis() + " ms";
            }
            return failure != null ? "failed: " + failure : "answered " + reply + " in " + took;
        }
    }

    private Answer probe(AppliedState injection, String... command) {
        long start = System.nanoTime();
        try (RedisConnection redis = connect(injection, PROBE_TIMEOUT, false)) {
            Object reply = greet(redis, injection, command);
            return new Answer(reply, false, null, took(start));
        } catch (SocketTimeoutException e) {
            return new Answer(null, true, null, took(start));
        } catch (IOException e) {
            return new Answer(null, false, message(e), took(start));
        }
    }

    /**
     * Logs in when the state has a password and sends the command, pipelined, so that a refusal at the door (max
     * clients) or BUSY comes back as the answer; returns the first error, or the command's reply.
     */
    private static Object greet(RedisConnection redis, AppliedState state, String... command) throws IOException {
        String password = state.values().getOrDefault("password", "");
        if (password.isEmpty()) {
            return redis.call(command);
        }
        String user = state.values().getOrDefault("user", "");
        if (user.isEmpty()) {
            redis.send("AUTH", password);
        } else {
            redis.send("AUTH", user, password);
        }
        redis.send(command);
        Object auth = redis.read();
        if (auth instanceof RedisConnection.Error) {
            return auth;
        }
        return redis.read();
    }

    /**
     * A connection for a revert. When every slot is taken (the fault's own connections, which Redis frees a moment
     * after their process died), it tries again for a few seconds.
     */
    private static RedisConnection connectForRevert(AppliedState state, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        while (true) {
            try {
                RedisConnection redis = connect(state, timeout);
                // without a password, a refusal at the door shows only as the answer to a first command
                Object answer = redis.call("PING");
                if (answer instanceof RedisConnection.Error error && error.message().contains(MAX_CLIENTS_REACHED)) {
                    redis.close();
                    throw new IOException("Redis at " + state.value("endpoint") + ": " + error.message());
                }
                return redis;
            } catch (ConnectException e) {
                throw e;
            } catch (IOException e) {
                boolean refusedAtTheDoor = (e.getMessage() != null && e.getMessage().contains(MAX_CLIENTS_REACHED))
                        // the refusal is written, then the connection closed: it may be reset before it is read
                        || e instanceof java.io.EOFException || e instanceof java.net.SocketException;
                if (!refusedAtTheDoor) {
                    throw e;
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("Redis at " + state.value("endpoint") + " still refuses new connections ("
                            + MAX_CLIENTS_REACHED + ") " + ADMIN_TIMEOUT.toSeconds() + " s on. Expected the slots of"
                            + " the fault's clients '" + state.value("client-name") + "' to free up once their process"
                            + " died; from a connection still open, run CLIENT KILL on them and CONFIG SET maxclients "
                            + state.values().getOrDefault("previous-maxclients", "back to its previous value")
                            + ", or restart Redis.", e);
                }
                sleep(100);
            }
        }
    }

    private static RedisConnection connect(AppliedState state, Duration timeout) throws IOException {
        return connect(state, timeout, true);
    }

    private static RedisConnection connect(AppliedState state, Duration timeout, boolean login) throws IOException {
        RedisConnection redis = RedisConnection.open(endpoint(state), timeout);
        if (login) {
            try {
                redis.auth(state.values().getOrDefault("user", ""), state.values().getOrDefault("password", ""));
            } catch (IOException e) {
                redis.close();
                throw e;
            }
        }
        return redis;
    }

    private static Endpoint endpoint(AppliedState state) {
        String recorded = state.value("endpoint");
        int colon = recorded.lastIndexOf(':');
        return new Endpoint(recorded.substring(0, colon), Integer.parseInt(recorded.substring(colon + 1)));
    }

    /** {@code SCRIPT KILL} until Redis says no script runs; fails for a script that wrote (UNKILLABLE). */
    private static String killScript(RedisConnection redis, String where) throws IOException {
        long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        boolean killed = false;
        while (System.nanoTime() < deadline) {
            Object answer = redis.call("SCRIPT", "KILL");
            if (answer instanceof RedisConnection.Error error && error.message().startsWith("NOTBUSY")) {
                return where + ": " + (killed ? "busy script killed with SCRIPT KILL" : "no script was running (it"
                        + " had ended or was never started)");
            }
            if (answer instanceof RedisConnection.Error error) {
                throw new IOException(where + " could not kill the busy script: " + error.message() + ". Expected"
                        + " SCRIPT KILL to end it; end it with SHUTDOWN NOSAVE or restart Redis.");
            }
            killed = true;
            sleep(20);
        }
        throw new IOException(where + " still runs a script " + ADMIN_TIMEOUT.toSeconds() + " s after SCRIPT KILL."
                + " Expected it to end at once; end it with SHUTDOWN NOSAVE or restart Redis.");
    }

    /** Kills, by id, every client with this name that {@code CLIENT LIST} shows; returns their ids. */
    private static List<String> killNamedClients(RedisConnection redis, String name) throws IOException {
        Object list = redis.call("CLIENT", "LIST");
        if (list instanceof RedisConnection.Error error) {
            throw new RedisRefusal(redis.endpoint(), "CLIENT LIST", error.message());
        }
        List<String> killed = new ArrayList<>();
        for (String line : String.valueOf(list).split("\n")) {
            if (!(" " + line.trim() + " ").contains(" name=" + name + " ")) {
                continue;
            }
            for (String field : line.trim().split(" ")) {
                if (field.startsWith("id=")) {
                    String id = field.substring(3);
                    redis.call("CLIENT", "KILL", "ID", id);
                    killed.add("id=" + id);
                }
            }
        }
        return killed;
    }

    /** A refusal while reverting, turned into a message saying what to do. */
    private static final class RedisRefusal extends IOException {
        RedisRefusal(Endpoint endpoint, String command, String error) {
            super("Redis at " + endpoint + " refused " + command + ": " + error);
        }

        IOException toIOException() {
            return new IOException(getMessage() + ". Expected to find the fault's clients with it; kill clients named"
                    + " 'gameday-*' by hand (CLIENT LIST, CLIENT KILL ID) and run 'gameday cleanup' again.", this);
        }
    }

    /**
     * Holds the pause: one connection with {@link #PAUSES_QUEUED} {@code CLIENT PAUSE} commands pipelined, topped up
     * as Redis runs them. Redis runs the next queued pause the moment one ends, before any client that waited, so the
     * pause has no gap; closing the connection discards the queue, and the pause ends within one step.
     */
    private static final class Pauser {
        private final RedisConnection redis;
        private final String name;
        private final long stepMillis;
        private final AtomicInteger acknowledged = new AtomicInteger();
        private volatile long lastAcknowledged;
        private volatile boolean stopped;
        private volatile String failure;

        Pauser(RedisConnection redis, String name, long stepMillis) {
            this.redis = redis;
            this.name = name;
            this.stepMillis = stepMillis;
        }

        void start() throws IOException {
            redis.timeout(Duration.ZERO);
            String[] pause = {"CLIENT", "PAUSE", Long.toString(stepMillis), "ALL"};
            redis.sendRepeatedly(PAUSES_QUEUED, pause);
            Thread reader = new Thread(() -> {
                int sent = PAUSES_QUEUED;
                try {
                    while (!stopped) {
                        Object answer = redis.read();
                        if (answer instanceof RedisConnection.Error error) {
                            failure = "Redis refused CLIENT PAUSE: " + error.message();
                            return;
                        }
                        lastAcknowledged = System.nanoTime();
                        int done = acknowledged.incrementAndGet();
                        // topped up while several wait: a pause sent to an otherwise empty queue leaves a gap
                        if (sent - done <= PAUSES_QUEUED / 2 && !stopped) {
                            redis.sendRepeatedly(PAUSES_QUEUED / 2, pause);
                            sent += PAUSES_QUEUED / 2;
                        }
                    }
                } catch (IOException e) {
                    if (!stopped) {
                        failure = "the pausing connection failed: " + message(e);
                    }
                }
            }, "gameday-redis-pause-" + name);
            reader.setDaemon(true);
            reader.start();
        }

        /** Returns once Redis ran the first pause; fails with Redis's refusal, or when it did not answer in time. */
        void awaitFirstAcknowledgement(Duration timeout) throws IOException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (acknowledged.get() == 0 && failure == null && System.nanoTime() < deadline) {
                sleep(5);
            }
            if (failure != null) {
                throw new IOException("Redis at " + redis.endpoint() + ": " + failure + ". Expected OK; give the"
                        + " target's user the right to run CLIENT PAUSE.");
            }
            if (acknowledged.get() == 0) {
                throw new IOException("Redis at " + redis.endpoint() + " did not answer CLIENT PAUSE within "
                        + timeout.toSeconds() + " s. Expected OK at once; check that no other pause or busy script"
                        + " holds Redis.");
            }
        }

        /** Whether Redis acknowledged a pause recently enough that it still lasts. */
        boolean pausedNow() {
            return !stopped && failure == null && acknowledged.get() > 0
                    && sinceLastAcknowledgement() <= stepMillis * 2;
        }

        long sinceLastAcknowledgement() {
            return acknowledged.get() == 0 ? -1 : (System.nanoTime() - lastAcknowledged) / 1_000_000;
        }

        Optional<String> failure() {
            return Optional.ofNullable(failure);
        }

        void stop() {
            stopped = true;
            redis.close();
        }
    }

    /** The connection running this injection's busy script, and when it was sent. */
    private record Script(RedisConnection connection, long started) {
    }

    private static String took(long start) {
        return String.format(Locale.ROOT, "%.1f ms", (System.nanoTime() - start) / 1e6);
    }

    private static String message(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
