package dev.gameday.demo.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({"50ms, 50", "2s, 2000", "1m, 60000", "1h, 3600000", "0ms, 0", " 250ms , 250"})
    void parsesOperatorNotation(String text, long millis) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @CsvSource({"50", "1.5s", "2 minutes", "-1s", "ms"})
    void rejectsOtherNotationsSayingWhatWasExpected(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected a whole number with a unit (ms, s, m or h) such as 50ms, 2s or 1m, but was '" + text + "'");
    }

    @ParameterizedTest
    @CsvSource({"250, 250ms", "2000, 2s", "60000, 1m", "7200000, 2h", "1500, 1500ms", "0, 0ms"})
    void formatsWithTheLargestWholeUnit(long millis, String text) {
        assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
    }
}
