package io.robustunit.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;

import io.robustunit.attack.Attacks;
import io.robustunit.data.InputRange;
import io.robustunit.data.LabelledDataset;
import io.robustunit.model.DifferentiableClassifier;
import io.robustunit.model.dl4j.Dl4jClassifiers;
import io.robustunit.model.dl4j.TestNets;

class RobustnessEvaluatorTest {

    private static final int D = 20;
    private static final int C = 4;
    private static final int N = 300;

    private final DifferentiableClassifier model =
            Dl4jClassifiers.of(TestNets.mlp(D, 12, C, Activation.RELU, 1.0, DataType.FLOAT, 31));
    private final LabelledDataset data = LabelledDataset.of("synthetic", TestNets.inputs(N, D, 6),
            TestNets.labels(N, C), D, C, InputRange.UNIT);

    @Test
    void metricsMatchAnIndependentCount() {
        EvaluationResult result = RobustnessEvaluator.of(model).batchSize(64).evaluate(data, Attacks.fgsm(0.2));

        int[] y = data.labels();
        int[] clean = argmax(data.features());
        int[] adv = argmax(result.adversarialExamples());
        int cleanHits = 0;
        int advHits = 0;
        int flipped = 0;
        long[][] confusion = new long[C][C];
        for (int i = 0; i < N; i++) {
            cleanHits += clean[i] == y[i] ? 1 : 0;
            advHits += adv[i] == y[i] ? 1 : 0;
            flipped += clean[i] == y[i] && adv[i] != y[i] ? 1 : 0;
            confusion[y[i]][adv[i]]++;
        }
        assertThat(result.cleanPredictions()).containsExactly(clean);
        assertThat(result.adversarialPredictions()).containsExactly(adv);
        assertThat(result.cleanAccuracy()).isEqualTo((double) cleanHits / N);
        assertThat(result.adversarialAccuracy()).isEqualTo((double) advHits / N);
        assertThat(result.accuracyDrop()).isCloseTo((double) (cleanHits - advHits) / N, within(1e-12));
        assertThat(result.attackSuccessRate()).isEqualTo((double) flipped / cleanHits);
        assertThat(result.adversarial().confusionMatrix().counts()).isDeepEqualTo(confusion);
        assertThat(result.adversarialAccuracyInterval()).isEqualTo(WilsonInterval.of95(advHits, N));
        assertThat(result.adversarialAccuracy()).isLessThan(result.cleanAccuracy());
    }

    @Test
    void perClassAccuracyAndConfidenceAreConsistent() {
        EvaluationResult result = RobustnessEvaluator.of(model).evaluate(data, Attacks.fgsm(0.1));
        double[] perClass = result.clean().perClassAccuracy();
        long[][] confusion = result.clean().confusionMatrix().counts();
        for (int c = 0; c < C; c++) {
            long total = 0;
            for (long v : confusion[c]) {
                total += v;
            }
            assertThat(perClass[c]).isEqualTo((double) confusion[c][c] / total);
        }
        float[] confidence = result.adversarialConfidence();
        double mean = 0;
        for (float v : confidence) {
            assertThat(v).isBetween(1f / C, 1f);
            mean += v / N;
        }
        assertThat(result.adversarial().meanConfidence()).isCloseTo(mean, within(1e-6));
    }

    @Test
    void resultsDoNotDependOnBatchSizeAndRepeatExactly() {
        EvaluationResult small = RobustnessEvaluator.of(model).batchSize(7).evaluate(data, Attacks.pgd(0.1).withSteps(5));
        EvaluationResult large = RobustnessEvaluator.of(model).batchSize(1000).evaluate(data, Attacks.pgd(0.1).withSteps(5));
        EvaluationResult again = RobustnessEvaluator.of(model).batchSize(1000).evaluate(data, Attacks.pgd(0.1).withSteps(5));
        assertThat(small.adversarialExamples()).isEqualTo(large.adversarialExamples());
        assertThat(again.adversarialPredictions()).containsExactly(large.adversarialPredictions());
        assertThat(again.adversarialConfidence()).containsExactly(large.adversarialConfidence());
    }

    @Test
    void worstExamplesAreFooledAndSortedByConfidence() {
        EvaluationResult result = RobustnessEvaluator.of(model).evaluate(data, Attacks.fgsm(0.3));
        var worst = result.worstExamples(5);
        assertThat(worst).hasSize(5);
        for (int i = 0; i < worst.size(); i++) {
            var m = worst.get(i);
            assertThat(m.predicted()).isNotEqualTo(m.actual());
            assertThat(m.actual()).isEqualTo(data.label(m.index()));
            if (i > 0) {
                assertThat(m.confidence()).isLessThanOrEqualTo(worst.get(i - 1).confidence());
            }
        }
    }

    @Test
    void rejectsDataThatDoesNotFitTheModel() {
        LabelledDataset wrong = LabelledDataset.of("wrong", new float[2 * 3], new int[] {0, 1}, 3, 2, InputRange.UNIT);
        assertThatThrownBy(() -> RobustnessEvaluator.of(model).evaluate(wrong, Attacks.fgsm(0.1)))
                .hasMessage("dataset 'wrong' has 3 features per example but the model expects 20");
    }

    private int[] argmax(float[] inputs) {
        float[] p = new float[N * C];
        model.probabilities(inputs, 0, N, p);
        int[] out = new int[N];
        for (int i = 0; i < N; i++) {
            for (int k = 1; k < C; k++) {
                out[i] = p[i * C + k] > p[i * C + out[i]] ? k : out[i];
            }
        }
        return out;
    }
}
