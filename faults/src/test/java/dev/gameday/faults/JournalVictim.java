package dev.gameday.faults;

import dev.gameday.environments.Endpoint;
import dev.gameday.environments.NetworkLink;
import dev.gameday.environments.Protocol;
import dev.gameday.environments.Target;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The harness that {@link FaultJournalIT} kills: injects a Redis timeout through Toxiproxy, journaled in the given
 * directory, says so on standard output, and waits to be killed with {@code kill -9}.
 *
 * <pre>{@code
 * java -cp ... dev.gameday.faults.JournalVictim <toxiproxy-host> <toxiproxy-port> <proxy> <proxied-host> <proxied-port> <journal-dir>
 * }</pre>
 */
public final class JournalVictim {

    private JournalVictim() {
    }

    public static void main(String[] args) throws InterruptedException {
        Endpoint api = new Endpoint(args[0], Integer.parseInt(args[1]));
        Endpoint proxied = new Endpoint(args[3], Integer.parseInt(args[4]));
        Target redis = new Target("redis", Protocol.REDIS, proxied, Optional.of(new NetworkLink(api, args[2], proxied)),
                Optional.empty());
        ActiveFault active = NetworkFaults.timeout(redis).journaledIn(FaultJournal.at(Path.of(args[5]))).inject();
        System.out.println("ACTIVE " + active.appliedState().value("toxics"));
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
