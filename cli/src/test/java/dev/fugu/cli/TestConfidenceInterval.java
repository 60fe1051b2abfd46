package dev.fugu.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TestConfidenceInterval
{
    @Test
    void studentTIntervalOfFiveSamples()
    {
        // s = sqrt(2.5), t(0.975, 4) = 2.776445
        ConfidenceInterval ci = ConfidenceInterval.of(new double[] {1, 2, 3, 4, 5});
        assertThat(ci.n()).isEqualTo(5);
        assertThat(ci.mean()).isEqualTo(3.0);
        assertThat(ci.halfWidth()).isCloseTo(2.776445 * Math.sqrt(2.5) / Math.sqrt(5), within(1e-5));
        assertThat(ci.low()).isCloseTo(3 - 1.963243, within(1e-5));
        assertThat(ci.high()).isCloseTo(3 + 1.963243, within(1e-5));
    }

    @Test
    void twoSamplesUseTheWideTDistribution()
    {
        // t(0.975, 1) = 12.7062: two seeds say little
        ConfidenceInterval ci = ConfidenceInterval.of(new double[] {10, 12});
        assertThat(ci.halfWidth()).isCloseTo(12.7062 * Math.sqrt(2) / Math.sqrt(2), within(1e-3));
    }

    @Test
    void oneSampleOrEqualSamplesGiveAZeroWidthInterval()
    {
        ConfidenceInterval one = ConfidenceInterval.of(new double[] {7});
        assertThat(one.low()).isEqualTo(7.0);
        assertThat(one.high()).isEqualTo(7.0);
        ConfidenceInterval same = ConfidenceInterval.of(new double[] {4, 4, 4});
        assertThat(same.low()).isEqualTo(same.high()).isEqualTo(4.0);
    }

    @Test
    void noSamplesIsAnError()
    {
        assertThatThrownBy(() -> ConfidenceInterval.of(new double[0])).isInstanceOf(IllegalArgumentException.class);
    }
}
