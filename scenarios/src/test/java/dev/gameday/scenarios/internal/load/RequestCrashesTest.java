package dev.gameday.scenarios.internal.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class RequestCrashesTest {

    @Test
    void takesTheExceptionOfGatlingsCrashLineAndDropsTheLine() {
        RequestCrashes crashes = RequestCrashes.install();
        try {
            Logger gatling = LoggerFactory.getLogger(RequestCrashes.LOGGER + "$");
            assertThat(gatling.isDebugEnabled()).as("Gatling writes the line only when debug is on").isTrue();
            ConnectException refused = new ConnectException("Connection refused: /127.0.0.1:1");

            gatling.debug("Request 'place order' failed for user 4711", refused);

            assertThat(crashes.take(4711)).isSameAs(refused);
            assertThat(crashes.take(4711)).as("taken once").isNull();
            assertThat(LoggerFactory.getLogger("io.gatling.http.engine.Other").isDebugEnabled())
                    .as("no other logger changes").isFalse();
        } finally {
            crashes.uninstall();
        }
        assertThat(LoggerFactory.getLogger(RequestCrashes.LOGGER + "$").isDebugEnabled()).isFalse();
    }

    @Test
    void readsTheUserFromTheLine() {
        assertThat(RequestCrashes.userId("Request 'a' failed for user 42")).isEqualTo(42);
        assertThat(RequestCrashes.userId("Request 'failed for user x' failed for user 7")).isEqualTo(7);
        assertThat(RequestCrashes.userId("something else")).isEqualTo(-1);
    }
}
