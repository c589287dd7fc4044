package dev.gameday.faults;

import dev.gameday.environments.Credentials;
import dev.gameday.environments.Endpoint;
import dev.gameday.environments.Protocol;
import dev.gameday.environments.Target;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A harness run that holds every PostgreSQL connection slot and is then killed: {@link PostgresFaultsIT} starts it in
 * a JVM of its own, waits for {@code ACTIVE}, and kills it with SIGKILL, leaving its journal entry behind.
 *
 * <pre>{@code
 * java -cp <test classpath> dev.gameday.faults.PostgresHoldingChild localhost 32768 trading trading secret /tmp/journal
 * }</pre>
 */
public final class PostgresHoldingChild {

    private PostgresHoldingChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        Target postgres = new Target("postgres", Protocol.POSTGRES, new Endpoint(args[0], Integer.parseInt(args[1])),
                Optional.empty(), Optional.empty()).withCredentials(new Credentials(args[2], args[4], args[3]));
        ActiveFault active = PostgresFaults.holdConnections(postgres).journaledIn(FaultJournal.at(Path.of(args[5])))
                .inject();
        System.out.println("ACTIVE " + active.appliedState().value("application-name"));
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
