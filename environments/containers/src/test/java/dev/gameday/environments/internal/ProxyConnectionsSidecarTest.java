package dev.gameday.environments.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProxyConnectionsSidecarTest {

    /** {@code ss -tinH state established '( sport = :8666 )'} from iproute2 6.1, as in the sidecar image. */
    private static final String SS = """
            0      0      [::ffff:172.18.0.4]:8666 [::ffff:172.18.0.6]:47312
            \t bbr wscale:10,10 rto:204 rtt:0.036/0.014 ato:40 mss:1448 pmtu:1500 rcvmss:536 advmss:1448 cwnd:11 \
            bytes_sent:190 bytes_acked:190 bytes_received:34 segs_out:4 segs_in:6 data_segs_out:1 data_segs_in:3 \
            send 3539555556bps lastsnd:1100 lastrcv:1104 lastack:1100 rcv_space:14480 minrtt:0.035 snd_wnd:64512
            0      0      [::ffff:172.18.0.4]:8666 [::ffff:172.18.0.6]:47320
            \t cubic wscale:10,10 rto:204 rtt:0.05/0.025 mss:1448 pmtu:1500 rcvmss:536 advmss:1448 cwnd:10 \
            segs_out:1 segs_in:2 send 2316800000bps lastsnd:900 lastrcv:900 lastack:900 rcv_space:14480 snd_wnd:64512
            0      0      [::ffff:172.18.0.4]:8666 [::ffff:172.18.0.6]:47334
            \t cubic wscale:10,10 rto:204 rtt:0.05/0.025 mss:1448 cwnd:10 bytes_sent:7000 bytes_acked:7001 \
            bytes_received:4200000123 segs_out:1200 segs_in:1100 data_segs_in:1000
            """;

    @Test
    void sumsTheBytesReceivedOnEveryOpenConnection() {
        assertThat(ProxyConnectionsSidecar.bytesReceived(SS))
                .as("34 and 4,200,000,123 bytes; the connection that has received nothing yet has no bytes_received")
                .isEqualTo(34L + 4_200_000_123L);
    }

    @Test
    void countsZeroWithoutOpenConnections() {
        assertThat(ProxyConnectionsSidecar.bytesReceived("")).isZero();
    }
}
