package dev.gameday.faults;

import dev.gameday.environments.Credentials;
import dev.gameday.environments.Endpoint;
import dev.gameday.environments.Protocol;
import dev.gameday.environments.Target;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A run that injects one Redis fault, journaled in a given directory, prints {@code ACTIVE} and waits to be killed:
 * {@link RedisFaultsIT} kills it with SIGKILL and cleans up what it left, as the next run would.
 *
 * <pre>{@code
 * java -cp ... dev.gameday.faults.RedisFaultRun maxmemory localhost 32771 secret /tmp/journal
 * }</pre>
 */
public final class RedisFaultRun {

    private RedisFaultRun() {
    }

    public static void main(String[] args) throws InterruptedException {
        Target redis = new Target("redis", Protocol.REDIS, new Endpoint(args[1], Integer.parseInt(args[2])),
                Optional.empty(), Optional.empty()).withCredentials(Credentials.password(args[3]));
        Fault fault = switch (args[0]) {
            case "client-pause" -> RedisFaults.clientPause(redis);
            case "busy" -> RedisFaults.busy(redis);
            case "maxmemory" -> RedisFaults.maxmemory(redis);
            case "connection-exhaustion" -> RedisFaults.connectionExhaustion(redis);
            default -> throw new IllegalArgumentException("no Redis fault '" + args[0] + "'");
        };
        ActiveFault active = fault.journaledIn(FaultJournal.at(Path.of(args[4]))).inject();
        System.out.println("ACTIVE " + active.name());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
