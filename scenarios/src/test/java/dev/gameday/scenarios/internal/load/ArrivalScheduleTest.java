package dev.gameday.scenarios.internal.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatling.javaapi.core.OpenInjectionStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArrivalScheduleTest {

    @Test
    void dueTimesAreGatlingsOwnScheduleForARampThenAConstantRate() {
        List<OpenInjectionStep> steps = List.of(
                rampUsersPerSec(2).to(20).during(Duration.ofSeconds(3)),
                constantUsersPerSec(20).during(Duration.ofSeconds(2)));
        ArrivalSchedule schedule = new ArrivalSchedule(steps);

        List<Duration> due = new ArrayList<>();
        for (long offset = schedule.nextDueNanos(); offset >= 0; offset = schedule.nextDueNanos()) {
            due.add(Duration.ofNanos(offset));
        }

        // the ramp injects the rate at each second's middle: 5, 11 and 17 users; then 20 a second for 2 s
        assertThat(due).as("every arrival of both steps, then none").hasSize(5 + 11 + 17 + 40);
        assertThat(due).as("in order: the n-th user Gatling starts is the n-th arrival").isSorted();
        assertThat(due.get(0)).isEqualTo(Duration.ZERO);
        List<Duration> constant = due.subList(33, due.size());
        assertThat(constant.get(0)).as("the constant step starts where the ramp ends").isEqualTo(Duration.ofSeconds(3));
        for (int i = 1; i < constant.size(); i++) {
            assertThat(constant.get(i).minus(constant.get(i - 1))).as("arrival %d of the constant step", i)
                    .isEqualTo(Duration.ofMillis(50));
        }
    }
}
