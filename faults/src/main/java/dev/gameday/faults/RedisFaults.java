package dev.gameday.faults;

import dev.gameday.environments.Capability;
import dev.gameday.environments.Protocol;
import dev.gameday.environments.Target;
import dev.gameday.faults.internal.RedisDisruption;

/**
 * Faults in Redis's own protocol, applied by the harness over its own connections to the target's endpoint (not
 * through its proxy), logged in with the target's {@link dev.gameday.environments.Credentials} when it has them. Each
 * is verified with real commands on fresh connections, and from Redis's own view where Redis can still be asked; its
 * revert is verified only once the settings it changed read back exactly as before. Every connection a fault holds is
 * named {@code gameday-<fault>-<id>} ({@code CLIENT LIST} shows it), so that {@code gameday cleanup} can find it from
 * another process.
 *
 * <pre>{@code
 * Target redis = environment.target("redis");
 * Fault frozen   = RedisFaults.clientPause(redis);           // nothing answered
 * Fault busy     = RedisFaults.busy(redis);                  // -BUSY Redis is busy running a script
 * Fault full     = RedisFaults.maxmemory(redis);             // writes get -OOM, reads answered
 * Fault noRoom   = RedisFaults.connectionExhaustion(redis);  // new connections get max number of clients reached
 * try (ActiveFault active = full.inject()) {
 *     // the system under test must degrade gracefully while Redis refuses writes
 * }
 * }</pre>
 *
 * <p>Factories do no I/O: a target that lacks {@link Capability#DATASTORE} or does not speak Redis is refused before
 * anything starts, and everything else happens when the fault is injected.
 */
public final class RedisFaults {

    private RedisFaults() {
    }

    /**
     * Redis answers no client command at all, from any connection, until the revert ({@code CLIENT PAUSE ... ALL},
     * renewed every 500 ms ({@code RedisDisruption.PAUSE_STEP}) so that it ends within that time of the revert, or of the harness
     * dying: Redis 7.0 cannot lift such a pause early). Connections are still accepted. Named
     * {@code <target>-client-pause}.
     */
    public static Fault clientPause(Target target) {
        return redis(RedisDisruption.Kind.CLIENT_PAUSE, target, "client-pause");
    }

    /**
     * Redis is busy in a Lua script that does not return: every other client gets
     * {@code BUSY Redis is busy running a script} (after 100 ms: the fault lowers {@code busy-reply-threshold} and
     * sets it back), until the revert's {@code SCRIPT KILL}. Should nothing ever kill it, the script ends after 30
     * minutes. The revert kills whatever script runs then, so run no other long script during this fault. Named
     * {@code <target>-busy}.
     */
    public static Fault busy(Target target) {
        return redis(RedisDisruption.Kind.BUSY, target, "busy");
    }

    /**
     * Redis is out of memory: {@code maxmemory} is lowered to 1 byte with {@code maxmemory-policy noeviction}, so
     * every write gets {@code OOM command not allowed when used memory > 'maxmemory'} while reads are answered and no
     * key is evicted. The revert sets both back to what they were. Named {@code <target>-maxmemory}.
     */
    public static Fault maxmemory(Target target) {
        return redis(RedisDisruption.Kind.MAXMEMORY, target, "maxmemory");
    }

    /**
     * Redis has no connection left: {@code maxclients} is lowered to the clients connected plus a few, which the fault
     * then holds open, so that every new connection gets {@code ERR max number of clients reached}; connections open
     * before keep working. A slot freed meanwhile is taken by the next verification. The revert closes the held
     * connections and sets {@code maxclients} back. Named {@code <target>-connection-exhaustion}.
     */
    public static Fault connectionExhaustion(Target target) {
        return redis(RedisDisruption.Kind.CONNECTION_EXHAUSTION, target, "connection-exhaustion");
    }

    private static Fault redis(RedisDisruption.Kind kind, Target target, String suffix) {
        String name = target.name() + "-" + suffix;
        target.require(Capability.DATASTORE, "fault '" + name + "'");
        if (target.protocol() != Protocol.REDIS) {
            throw new IllegalArgumentException("Fault '" + name + "' needs a Redis target, but target '"
                    + target.name() + "' speaks " + target.protocol() + ". Use it on a target declared with protocol"
                    + " REDIS, or choose a fault for " + target.protocol() + ".");
        }
        return Fault.of(name, new RedisDisruption(kind, target.name(), target.endpoint(), target.credentials(), name))
                .meteredThrough(target);
    }
}
