package io.robustunit.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WilsonIntervalTest {

    @Test
    void matchesHandComputedValues() {
        // p = 0.8, n = 10, z² = 3.8415: centre (0.8 + 0.19207)/1.38415, half 1.96·sqrt(0.016 + 0.0096037)/1.38415
        WilsonInterval eightOfTen = WilsonInterval.of95(8, 10);
        assertThat(eightOfTen.lower()).isCloseTo(0.49016, within(1e-4));
        assertThat(eightOfTen.upper()).isCloseTo(0.94332, within(1e-4));
    }

    @Test
    void staysInsideTheUnitIntervalAtTheExtremes() {
        WilsonInterval none = WilsonInterval.of95(0, 10);
        assertThat(none.lower()).isEqualTo(0.0);
        assertThat(none.upper()).isCloseTo(0.38415 / 1.38415, within(1e-4));
        WilsonInterval all = WilsonInterval.of95(10, 10);
        assertThat(all.upper()).isEqualTo(1.0);
        assertThat(all.lower()).isCloseTo(1 - 0.38415 / 1.38415, within(1e-4));
    }

    @Test
    void narrowsAsTheSampleGrows() {
        WilsonInterval small = WilsonInterval.of95(90, 100);
        WilsonInterval large = WilsonInterval.of95(9000, 10000);
        assertThat(large.upper() - large.lower()).isLessThan((small.upper() - small.lower()) / 5);
        assertThat(large.lower()).isLessThan(0.9).isGreaterThan(0.89);
    }

    @Test
    void rejectsImpossibleCounts() {
        assertThatThrownBy(() -> WilsonInterval.of95(3, 2))
                .hasMessage("need 0 <= successes <= trials and trials >= 1 but got 3 of 2");
    }
}
