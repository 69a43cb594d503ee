package io.robustunit.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each loss's gradient with respect to the logits, against central differences of its value, and its invariances. */
class ApgdLossTest {

    private static final int C = 7;

    @ParameterizedTest
    @EnumSource(ApgdLoss.class)
    void gradientMatchesFiniteDifferencesAndSumsToZero(ApgdLoss loss) {
        SplittableRandom random = new SplittableRandom(loss.ordinal());
        for (int trial = 0; trial < 20; trial++) {
            float[] z = new float[C];
            for (int k = 0; k < C; k++) {
                z[k] = (float) random.nextDouble(-4, 4);
            }
            int label = random.nextInt(C);
            int target = (label + 1 + random.nextInt(C - 1)) % C;
            float[] g = new float[C];
            loss.apply(z, 0, C, label, target, g, 0);
            double sum = 0;
            for (int k = 0; k < C; k++) {
                sum += g[k];
                float up = z[k] + 1e-3f;
                float down = z[k] - 1e-3f;
                double numeric = (value(loss, z, k, up, label, target) - value(loss, z, k, down, label, target))
                        / ((double) up - down);
                assertThat((double) g[k]).as("%s ∂L/∂z%d", loss, k).isCloseTo(numeric,
                        within(1e-3 + 1e-3 * Math.abs(numeric)));
            }
            assertThat(sum).isCloseTo(0, within(1e-5));
        }
    }

    @ParameterizedTest
    @EnumSource(ApgdLoss.class)
    void valueDoesNotChangeWhenEveryLogitIsShifted(ApgdLoss loss) {
        float[] z = {0.5f, 2.25f, -1f, 3f, 0f, 1.5f, -2f};
        float[] shifted = new float[C];
        for (int k = 0; k < C; k++) {
            shifted[k] = z[k] + 8f;
        }
        float[] g = new float[C];
        assertThat(loss.apply(shifted, 0, C, 1, 4, g, 0)).isCloseTo(loss.apply(z, 0, C, 1, 4, g, 0), within(1e-9));
    }

    @ParameterizedTest
    @EnumSource(value = ApgdLoss.class, names = {"DLR", "TARGETED_DLR"})
    void theDlrLossesDoNotChangeWhenTheLogitsAreScaled(ApgdLoss loss) {
        float[] z = {0.5f, 2.25f, -1f, 3f, 0f, 1.5f, -2f};
        float[] scaled = new float[C];
        for (int k = 0; k < C; k++) {
            scaled[k] = z[k] * 4f;
        }
        float[] g = new float[C];
        assertThat(loss.apply(scaled, 0, C, 1, 4, g, 0)).isCloseTo(loss.apply(z, 0, C, 1, 4, g, 0), within(1e-9));
    }

    @ParameterizedTest
    @EnumSource(ApgdLoss.class)
    void handComputedValues(ApgdLoss loss) {
        // classes by decreasing logit: 3, 1, 5, 0, 4, 2, 6; true class 1, target 5
        float[] z = {0.5f, 2.25f, -1f, 3f, 0f, 1.5f, -2f};
        double expected = switch (loss) {
            case CROSS_ENTROPY -> Math.log(Math.exp(0.5) + Math.exp(2.25) + Math.exp(-1) + Math.exp(3) + 1
                    + Math.exp(1.5) + Math.exp(-2)) - 2.25;
            case DLR -> -(2.25 - 3) / (3 - 1.5);
            case TARGETED_DLR -> -(2.25 - 1.5) / (3 - (0.5 + 1.5) / 2);
        };
        assertThat(loss.apply(z, 0, C, 1, 5, new float[C], 0)).isCloseTo(expected, within(1e-6));
    }

    private static double value(ApgdLoss loss, float[] z, int k, float zk, int label, int target) {
        float[] moved = z.clone();
        moved[k] = zk;
        return loss.apply(moved, 0, C, label, target, new float[C], 0);
    }
}
