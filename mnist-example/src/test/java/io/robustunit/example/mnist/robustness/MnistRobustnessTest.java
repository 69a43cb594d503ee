package io.robustunit.example.mnist.robustness;

// tag::robustness[]
import static io.robustunit.assertions.RobustnessAssertions.assertThat;
import static io.robustunit.junit.AttackKind.FGSM;
import static io.robustunit.junit.AttackKind.PGD;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import io.robustunit.data.LabelledDataset;
import io.robustunit.example.mnist.MnistData;
import io.robustunit.junit.AdversarialBatch;
import io.robustunit.junit.AdversarialDefaults;
import io.robustunit.junit.AdversarialTest;
import io.robustunit.junit.AttackInfo;
import io.robustunit.junit.ModelUnderTest;
import io.robustunit.junit.Pgd;
import io.robustunit.junit.TargetChoice;
import io.robustunit.junit.TestData;
import io.robustunit.junit.Targeted;
import io.robustunit.metrics.EvaluationResult;

/**
 * Robustness requirements of the shipped MNIST model, as a user of RobustUnit writes them. The thresholds
 * sit below what the model achieves (see the README's table), so a regression of a few points fails the
 * build. They are not claims of robustness: an undefended MLP has almost none above ε = 0.1.
 */
@ModelUnderTest("/models/mnist-mlp.zip")
@AdversarialDefaults(samples = 2000, seed = 42)
class MnistRobustnessTest {

    @TestData
    static LabelledDataset testSet() throws IOException {
        return MnistData.test();
    }

    @AdversarialTest(epsilon = {0.05, 0.1}, attack = {FGSM, PGD}, maxAccuracyDrop = 0.95)
    void accuracyDropIsBounded(EvaluationResult result) {
        assertThat(result).hasCleanAccuracyAtLeast(0.97);
    }

    @AdversarialTest(epsilon = 0.05, minAdversarialAccuracy = 0.55)
    void mostDigitsSurviveSmallPerturbations(AdversarialBatch batch) {
        for (int i = 0; i < batch.size(); i++) {
            float[] clean = batch.cleanInput(i);
            float[] adversarial = batch.adversarialInput(i);
            for (int p = 0; p < clean.length; p++) {
                assertThat(Math.abs(adversarial[p] - clean[p])).isLessThanOrEqualTo(0.05f + Math.ulp(1f));
            }
        }
    }

    @AdversarialTest(epsilon = 0.1, attack = PGD, minAdversarialAccuracy = 0.05)
    @Pgd(steps = 10, randomStart = true)
    void pgdWithRandomStart(AttackInfo info, EvaluationResult result) {
        assertThat(info.parameters()).containsEntry("randomStart", "seed 42");
        assertThat(result.attackSuccessRate()).isGreaterThan(0.5);
    }

    @AdversarialTest(epsilon = 0.1)
    @Targeted(TargetChoice.LEAST_LIKELY)
    void targetedAttacksAreHarder(EvaluationResult result) {
        assertThat(result).hasAdversarialAccuracyAtLeast(0.45);
    }

    @MnistFgsmTest
    void teamStandard(EvaluationResult result) {
        assertThat(result).hasAttackSuccessRateAtMost(0.5);
    }
}
// end::robustness[]
