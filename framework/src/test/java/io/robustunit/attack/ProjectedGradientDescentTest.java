package io.robustunit.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;

import io.robustunit.data.InputRange;
import io.robustunit.model.DifferentiableClassifier;
import io.robustunit.model.dl4j.Dl4jClassifiers;
import io.robustunit.model.dl4j.TestNets;

class ProjectedGradientDescentTest {

    private static final int D = 40;
    private static final int C = 6;
    private static final int ROWS = 60;

    private final DifferentiableClassifier model =
            Dl4jClassifiers.of(TestNets.mlp(D, 16, C, Activation.RELU, 1.0, DataType.FLOAT, 8));
    private final float[] x = TestNets.inputs(ROWS, D, 4);
    private final int[] y = TestNets.labels(ROWS, C);

    @Test
    void staysInsideTheLinfBallAndTheRange() {
        float[] adv = new float[x.length];
        Attacks.pgd(0.1).withSteps(10).withRandomStart(3).generate(model, x, y, 0, ROWS, adv);
        for (int i = 0; i < x.length; i++) {
            assertThat(adv[i]).isBetween(0f, 1f);
            assertThat(Math.abs(adv[i] - x[i])).isLessThanOrEqualTo(0.1f + 1e-6f);
        }
    }

    @Test
    void staysInsideTheL2Ball() {
        float[] adv = new float[x.length];
        Attacks.pgd(0.1).withNorm(Norm.L2).withRange(InputRange.of(-5, 5)).withEpsilon(0.8).withRandomStart(1)
                .generate(model, x, y, 0, ROWS, adv);
        for (int r = 0; r < ROWS; r++) {
            double norm = 0;
            for (int i = r * D; i < (r + 1) * D; i++) {
                norm += (adv[i] - x[i]) * (adv[i] - x[i]);
            }
            assertThat(Math.sqrt(norm)).isLessThanOrEqualTo(0.8 + 1e-5);
        }
    }

    @Test
    void isAtLeastAsStrongAsFgsmOnAverageLoss() {
        float[] fgsm = new float[x.length];
        float[] pgd = new float[x.length];
        Attacks.fgsm(0.1).generate(model, x, y, 0, ROWS, fgsm);
        Attacks.pgd(0.1).generate(model, x, y, 0, ROWS, pgd);
        assertThat(meanLoss(pgd)).isGreaterThanOrEqualTo(meanLoss(fgsm));
    }

    @Test
    void oneStepOfSizeEpsilonWithoutRandomStartIsFgsm() {
        float[] fgsm = new float[x.length];
        float[] pgd = new float[x.length];
        Attacks.fgsm(0.07).generate(model, x, y, 0, ROWS, fgsm);
        Attacks.pgd(0.07).withSteps(1).withStepSize(0.07).generate(model, x, y, 0, ROWS, pgd);
        assertThat(pgd).isEqualTo(fgsm);
    }

    @Test
    void randomStartIsSeededAndIndependentOfBatching() {
        ProjectedGradientDescent attack = Attacks.pgd(0.1).withSteps(3).withRandomStart(42);
        float[] whole = new float[x.length];
        float[] batched = new float[x.length];
        float[] otherSeed = new float[x.length];
        attack.generate(model, x, y, 0, ROWS, whole);
        for (int from = 0; from < ROWS; from += 7) {
            attack.generate(model, x, y, from, Math.min(7, ROWS - from), batched);
        }
        attack.withRandomStart(43).generate(model, x, y, 0, ROWS, otherSeed);
        assertThat(batched).isEqualTo(whole);
        assertThat(otherSeed).isNotEqualTo(whole);
    }

    @Test
    void givesTheSameExamplesThroughDl4jBackpropAsThroughTheKernel() {
        DifferentiableClassifier dl4j = Dl4jClassifiers.usingDl4jBackprop(
                TestNets.mlp(D, 16, C, Activation.RELU, 1.0, DataType.FLOAT, 8));
        ProjectedGradientDescent attack = Attacks.pgd(0.1).withSteps(5).withRandomStart(9);
        float[] viaKernel = new float[x.length];
        float[] viaDl4j = new float[x.length];
        attack.generate(model, x, y, 0, ROWS, viaKernel);
        attack.generate(dl4j, x, y, 0, ROWS, viaDl4j);
        int same = 0;
        for (int i = 0; i < x.length; i++) {
            same += Math.abs(viaKernel[i] - viaDl4j[i]) < 1e-6f ? 1 : 0;
        }
        assertThat((double) same / x.length).isGreaterThan(0.99);
    }

    @Test
    void rejectsBadSettings() {
        assertThatThrownBy(() -> Attacks.pgd(0.1).withSteps(0)).hasMessage("PGD steps must be >= 1 but was 0");
        assertThatThrownBy(() -> Attacks.pgd(0.1).withStepSize(0)).hasMessage("PGD step size must be finite and > 0 but was 0.0");
        assertThatThrownBy(() -> Attacks.pgd(1.1)).hasMessageContaining("PGD epsilon must be finite and in (0, 1.0]");
    }

    private double meanLoss(float[] inputs) {
        float[] p = new float[ROWS * C];
        model.probabilities(inputs, 0, ROWS, p);
        double sum = 0;
        for (int r = 0; r < ROWS; r++) {
            sum -= Math.log(p[r * C + y[r]]);
        }
        return sum / ROWS;
    }
}
