package dev.gameday.scenarios.catalogue;

import static java.time.Duration.ofSeconds;

import dev.gameday.assertions.ObjectiveSet;
import dev.gameday.assertions.Phase;
import dev.gameday.demo.Flaw;
import dev.gameday.faults.DockerFaults;
import dev.gameday.scenarios.Experiment;
import dev.gameday.scenarios.FaultSchedule;
import dev.gameday.scenarios.FaultSource;
import java.util.Set;

/**
 * Incident 1, an OOM kill and the recovery from it: under steady order traffic, the kernel's OOM killer ends the
 * service's main process (a real OOM kill: Docker reports {@code OOMKilled} and exit code 137), and its restart
 * policy brings it back, at the same address, like a pod restarted by its kubelet. An event, not a state: nothing is
 * reverted; the service's death, restart and readiness are on the timeline as their own events.
 *
 * <p>Recovered means: the service is back and serving within its objectives within 30 s of the end of the 20 s
 * fault window (the runbooks' "Ready within 2 minutes", tightened: the demo is measured back and Ready 6 s after the
 * kill, and within its objectives by the end of the window), and stays so, and no acknowledged order is lost.
 * The negative control runs against the demo with {@code ack-before-commit}, which acknowledges orders before they
 * are committed: the kill loses some, and the durability objective must fail.
 *
 * <pre>{@code
 * ExperimentResult result = ExperimentRunner.create().run(OomKill.against(Set.of()));
 * }</pre>
 */
public final class OomKill {

    public static final String NAME = "oom-kill";

    private OomKill() {
    }

    /** Against the demo system with the given flaws switched on. */
    public static Experiment against(Set<Flaw> flaws) {
        return Experiment.named(NAME, "The kernel OOM-kills the service under steady order traffic; its restart"
                        + " policy brings it back")
                .given(Runbook.demo(flaws))
                .when(new OrderTraffic(), Runbook.load())
                .inject(FaultSource.on("api", DockerFaults::oomKill),
                        FaultSchedule.baseline(ofSeconds(20)).fault(ofSeconds(20)).observe(ofSeconds(45)))
                .then(ObjectiveSet.builder()
                        .during(Phase.BASELINE, Runbook.NORMAL_LATENCY, Runbook.NORMAL_SUCCESS)
                        .recoversWithin(ofSeconds(30), Runbook.NORMAL_LATENCY, Runbook.NORMAL_SUCCESS)
                        .during(Phase.AFTER, Runbook.NORMAL_LATENCY, Runbook.NORMAL_SUCCESS)
                        .acknowledgedWritesDurable()
                        .build())
                .verifyingDurability(new OrdersTable());
    }
}
