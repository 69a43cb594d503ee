package io.robustunit.example.mnist.attack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.robustunit.attack.Attack;
import io.robustunit.attack.Attacks;
import io.robustunit.attack.AutoAttack;
import io.robustunit.data.LabelledDataset;
import io.robustunit.model.DifferentiableClassifier;
import io.robustunit.model.dl4j.Dl4jClassifiers;

/**
 * The ensemble on real MNIST, on the FGSM-trained weights where every stage matters: an example's result is the first
 * stage's that fools it when the stages run alone, so AUTO fools exactly the union of what they fool; and results do
 * not depend on the batch size.
 */
class AutoAttackEnsembleTest {

    private static final int N = 100;
    private static final int D = 784;

    private static LabelledDataset data;
    private static DifferentiableClassifier model;
    private static float[] auto;

    @BeforeAll
    static void attack() throws IOException {
        data = ReferenceStrength.first1000().slice(0, N);
        model = Dl4jClassifiers.of(ReferenceStrength.fgsmTrainedWeights());
        auto = Attacks.auto(0.1).withSeed(42).generate(model, data);
    }

    @Test
    void eachExampleGetsTheFirstStageThatFoolsItAlone() {
        AutoAttack ensemble = Attacks.auto(0.1).withSeed(42);
        List<float[]> alone = ensemble.stages().stream().map(stage -> stage.generate(model, data)).toList();
        int[] foolingStage = new int[N];
        int[] count = new int[4];
        for (int r = 0; r < N; r++) {
            int first = -1;
            for (int s = 0; s < alone.size() && first < 0; s++) {
                first = fooled(alone.get(s), r) ? s : -1;
            }
            foolingStage[r] = first;
            count[first + 1]++;
            float[] expected = first < 0 ? row(data.features(), r) : row(alone.get(first), r);
            assertThat(row(auto, r)).as("example %d, first fooled by stage %d", r, first).isEqualTo(expected);
        }
        // the fixture exercises every stage: some examples only the targeted or the black-box stage fools
        assertThat(count[1]).as("fooled by APGD-CE").isGreaterThan(30);
        assertThat(count[2] + count[3]).as("fooled only by APGD-T or Square").isPositive();
        assertThat(count[0]).as("robust").isGreaterThan(30);
        assertThat(Arrays.stream(foolingStage).filter(s -> s >= 0).count())
                .isEqualTo((long) N - count[0]);
    }

    @Test
    void batchesOfAnySizeGiveTheSameAdversarialExamples() {
        Attack ensemble = Attacks.auto(0.1).withSeed(42);
        float[] batched = new float[N * D];
        for (int from = 0; from < N; from += 7) {
            ensemble.generate(model, data.features(), data.labels(), from, Math.min(7, N - from), batched);
        }
        assertThat(batched).isEqualTo(auto);
    }

    @Test
    void staysInsideTheBallAndTheRange() {
        float[] x = data.features();
        for (int i = 0; i < x.length; i++) {
            assertThat(auto[i]).isBetween(0f, 1f);
            assertThat(Math.abs(auto[i] - x[i])).isLessThanOrEqualTo(0.1f + Math.ulp(1f));
        }
    }

    private static boolean fooled(float[] adversarial, int r) {
        float[] p = new float[10];
        model.probabilities(row(adversarial, r), 0, 1, p);
        int best = 0;
        for (int k = 1; k < 10; k++) {
            best = p[k] > p[best] ? k : best;
        }
        return best != data.label(r);
    }

    private static float[] row(float[] values, int r) {
        return Arrays.copyOfRange(values, r * D, (r + 1) * D);
    }
}
