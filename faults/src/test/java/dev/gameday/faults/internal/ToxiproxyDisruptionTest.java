package dev.gameday.faults.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gameday.environments.Endpoint;
import dev.gameday.environments.NetworkLink;
import dev.gameday.faults.AppliedState;
import dev.gameday.faults.Disruption.Observation;
import dev.gameday.faults.internal.ToxiproxyDisruption.ToxicSpec;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a Toxiproxy disruption records before it changes anything; no Toxiproxy needed. */
class ToxiproxyDisruptionTest {

    private static final NetworkLink LINK = new NetworkLink(new Endpoint("localhost", 8474), "redis",
            new Endpoint("localhost", 8666));
    private static final NetworkChecks.Check NO_CHECK = new NetworkChecks.Check() {
        @Override
        public Observation observe() {
            return Observation.inconclusive("not probed in this test");
        }

        @Override
        public Duration observationTime() {
            return Duration.ZERO;
        }

        @Override
        public long requestBytes() {
            return 0;
        }
    };

    @Test
    void eachInjectionNamesItsOwnToxicAndAPartitionBothWaysHasOnePerDirection() {
        ToxiproxyDisruption both = ToxiproxyDisruption.withToxics("redis-partition", "redis", LINK, "both ways",
                List.of(ToxicSpec.timeout(ToxicDirection.UPSTREAM), ToxicSpec.timeout(ToxicDirection.DOWNSTREAM)),
                NO_CHECK, true);
        AppliedState first = both.prepare();
        AppliedState second = both.prepare();

        assertThat(first.values()).containsEntry("api", "localhost:8474").containsEntry("proxy", "redis")
                .containsEntry("action", "remove-toxics");
        assertThat(first.value("toxics")).matches("gameday-redis-partition-([0-9a-f]{8})-upstream,"
                + "gameday-redis-partition-\\1-downstream");
        assertThat(second.value("toxics")).as("another injection, other names").isNotEqualTo(first.value("toxics"));
        assertThat(ToxiproxyDisruption.withToxics("redis-latency", "redis", LINK, "slow",
                List.of(ToxicSpec.latency(50, 0)), NO_CHECK, true).prepare().value("toxics"))
                .matches("gameday-redis-latency-[0-9a-f]{8}");
    }

    @Test
    void aDisabledProxyIsRecordedAsTheProxyToEnableAgain() {
        AppliedState state = ToxiproxyDisruption.proxyDisabled("redis-proxy-down", "redis", LINK, NO_CHECK).prepare();

        assertThat(state.values()).containsEntry("action", "enable-proxy").doesNotContainKey("toxics");
    }

    @Test
    void anHttpAnswersLengthComesFromItsContentLengthOnceItsHeadersAreIn() {
        assertThat(Conversation.httpLength("HTTP/1.1 200 OK\r\nContent-Le".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(-1);
        byte[] head = "HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(Conversation.httpLength(head)).isEqualTo(head.length + 10);
        assertThat(Conversation.httpLength("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII)))
                .as("no length: the answer ends with the connection").isEqualTo(-1);
    }

    @Test
    void aChunkedHttpAnswerEndsWithItsLastEmptyChunk() {
        assertThat(Conversation.chunked("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n"
                .getBytes(StandardCharsets.US_ASCII))).isTrue();
        assertThat(Conversation.chunked("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nchunked"
                .getBytes(StandardCharsets.US_ASCII))).isFalse();
        assertThat(Conversation.endsChunks("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII))).isTrue();
        assertThat(Conversation.endsChunks("\r\n1\r\n\r\n".getBytes(StandardCharsets.US_ASCII))).isFalse();
    }
}
