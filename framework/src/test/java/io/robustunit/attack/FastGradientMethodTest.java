package io.robustunit.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;

import io.robustunit.data.InputRange;
import io.robustunit.model.DifferentiableClassifier;
import io.robustunit.model.dl4j.Dl4jClassifiers;
import io.robustunit.model.dl4j.TestNets;

class FastGradientMethodTest {

    private static final int D = 40;
    private static final int C = 6;
    private static final int ROWS = 50;

    private final DifferentiableClassifier model =
            Dl4jClassifiers.of(TestNets.mlp(D, 16, C, Activation.RELU, 1.0, DataType.FLOAT, 8));
    private final float[] x = TestNets.inputs(ROWS, D, 4);
    private final int[] y = TestNets.labels(ROWS, C);

    @ParameterizedTest
    @ValueSource(doubles = {0.01, 0.1, 0.3, 1.0})
    void movesEveryFeatureByExactlyEpsilonAlongTheGradientSignUnlessClipped(double eps) {
        float[] adv = new float[x.length];
        float[] g = new float[x.length];
        model.lossGradient(x, y, 0, ROWS, g);

        Attacks.fgsm(eps).generate(model, x, y, 0, ROWS, adv);

        float e = (float) eps;
        for (int i = 0; i < x.length; i++) {
            float unclipped = x[i] + e * Math.signum(g[i]);
            assertThat(adv[i]).isBetween(0f, 1f);
            assertThat(Math.abs(adv[i] - x[i])).isLessThanOrEqualTo(e + 1e-7f);
            if (unclipped >= 0f && unclipped <= 1f) {
                assertThat(adv[i]).as("feature %d", i).isEqualTo(unclipped);
                if (g[i] != 0f) {
                    assertThat(Math.abs(adv[i] - x[i])).isCloseTo(e, within(1e-6f));
                }
            } else {
                assertThat(adv[i]).isEqualTo(unclipped < 0f ? 0f : 1f);
            }
        }
    }

    @Test
    void raisesEachExamplesLoss() {
        float[] adv = Attacks.fgsm(0.05).generate(model, io.robustunit.data.LabelledDataset.of("t", x, y, D, C,
                InputRange.UNIT));
        int raised = 0;
        for (int r = 0; r < ROWS; r++) {
            raised += loss(adv, r, y[r]) > loss(x, r, y[r]) ? 1 : 0;
        }
        assertThat(raised).isEqualTo(ROWS);
    }

    @Test
    void targetedAttackLowersTheTargetClassLoss() {
        FastGradientMethod attack = Attacks.fgsm(0.05).targeted(TargetRule.nextClass());
        float[] adv = new float[x.length];
        attack.generate(model, x, y, 0, ROWS, adv);
        for (int r = 0; r < ROWS; r++) {
            int target = (y[r] + 1) % C;
            assertThat(loss(adv, r, target)).as("row %d", r).isLessThan(loss(x, r, target));
        }
    }

    @Test
    void leastLikelyTargetIsTheLowestProbabilityClass() {
        int[] targets = new int[ROWS];
        TargetRule.leastLikely().targets(model, x, y, 0, ROWS, targets);
        float[] p = new float[ROWS * C];
        model.probabilities(x, 0, ROWS, p);
        for (int r = 0; r < ROWS; r++) {
            for (int k = 0; k < C; k++) {
                assertThat(p[r * C + targets[r]]).isLessThanOrEqualTo(p[r * C + k]);
            }
        }
    }

    @Test
    void l2StepHasLengthEpsilonWhenNothingIsClipped() {
        InputRange wide = InputRange.of(-10, 10);
        FastGradientMethod attack = Attacks.fgm(0.5, Norm.L2).withRange(wide);
        float[] adv = new float[x.length];
        attack.generate(model, x, y, 0, ROWS, adv);
        float[] g = new float[x.length];
        model.lossGradient(x, y, 0, ROWS, g);
        for (int r = 0; r < ROWS; r++) {
            double norm = 0;
            double dot = 0;
            double gNorm = 0;
            for (int i = r * D; i < (r + 1) * D; i++) {
                double delta = adv[i] - x[i];
                norm += delta * delta;
                dot += delta * g[i];
                gNorm += (double) g[i] * g[i];
            }
            assertThat(Math.sqrt(norm)).isCloseTo(0.5, within(1e-5));
            assertThat(dot / (Math.sqrt(norm) * Math.sqrt(gNorm))).as("cosine to the gradient").isCloseTo(1.0, within(1e-5));
        }
    }

    @Test
    void onlyTheRequestedRowsAreWritten() {
        float[] adv = new float[x.length];
        java.util.Arrays.fill(adv, -1f);
        Attacks.fgsm(0.1).generate(model, x, y, 10, 5, adv);
        for (int i = 0; i < adv.length; i++) {
            int row = i / D;
            if (row < 10 || row >= 15) {
                assertThat(adv[i]).isEqualTo(-1f);
            } else {
                assertThat(adv[i]).isBetween(0f, 1f);
            }
        }
    }

    @Test
    void epsilonOutsideTheRangeWidthIsRejected() {
        assertThatThrownBy(() -> Attacks.fgsm(0))
                .hasMessage("FGSM epsilon must be finite and in (0, 1.0] (the width of the input range [0.0, 1.0]) but was 0.0");
        assertThatThrownBy(() -> Attacks.fgsm(1.5)).hasMessageContaining("but was 1.5");
        assertThatThrownBy(() -> Attacks.fgsm(Double.NaN)).hasMessageContaining("but was NaN");
        assertThatThrownBy(() -> Attacks.fgm(-1, Norm.L2)).hasMessage("FGM epsilon must be finite and > 0 but was -1.0");
    }

    @Test
    void invalidInputsAreRejectedBeforeAnyWork() {
        FastGradientMethod fgsm = Attacks.fgsm(0.1);
        float[] out = new float[x.length];
        float[] nan = x.clone();
        nan[D + 3] = Float.NaN;
        assertThatThrownBy(() -> fgsm.generate(model, nan, y, 0, ROWS, out))
                .hasMessage("FGSM: feature 3 of example 1 is NaN; inputs must be finite and within the input range [0.0, 1.0]");
        float[] big = x.clone();
        big[0] = 2f;
        assertThatThrownBy(() -> fgsm.generate(model, big, y, 0, ROWS, out))
                .hasMessage("FGSM: feature 0 of example 0 is 2.0; inputs must be finite and within the input range [0.0, 1.0]");
        int[] badLabels = y.clone();
        badLabels[7] = C;
        assertThatThrownBy(() -> fgsm.generate(model, x, badLabels, 0, ROWS, out))
                .hasMessage("FGSM: label of example 7 is 6; labels must be in [0, 6)");
        assertThatThrownBy(() -> fgsm.generate(model, new float[D + 1], y, 0, 1, out))
                .hasMessage("FGSM: inputs hold 41 values, which is not a whole number of examples of the model's input size 40");
    }

    @Test
    void describesItself() {
        assertThat(Attacks.fgsm(0.05).displayName()).isEqualTo("FGSM ε=0.05");
        assertThat(Attacks.fgsm(0.1).targeted(TargetRule.fixed(3)).parameters())
                .containsEntry("attack", "FGSM").containsEntry("norm", "L∞").containsEntry("epsilon", "0.1")
                .containsEntry("targeted", "class 3");
    }

    private double loss(float[] inputs, int row, int label) {
        float[] p = new float[(row + 1) * C];
        model.probabilities(inputs, row, 1, p);
        return -Math.log(p[row * C + label]);
    }
}
