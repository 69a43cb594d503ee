package io.robustunit.example.mnist.robustness;

// tag::readme[]
import static io.robustunit.assertions.RobustnessAssertions.assertThat;
import static io.robustunit.junit.AttackKind.FGSM;
import static io.robustunit.junit.AttackKind.PGD;

import java.io.IOException;

import io.robustunit.data.LabelledDataset;
import io.robustunit.example.mnist.MnistData;
import io.robustunit.junit.AdversarialDefaults;
import io.robustunit.junit.AdversarialTest;
import io.robustunit.junit.ModelUnderTest;
import io.robustunit.junit.TestData;
import io.robustunit.metrics.EvaluationResult;

@ModelUnderTest("/models/mnist-mlp-hardened.zip")
@AdversarialDefaults(samples = 2000, seed = 42)
class HardenedMnistTest {

    @TestData
    static LabelledDataset testSet() throws IOException {
        return MnistData.test();
    }

    // the adversarially trained model keeps 87.9% (FGSM) and 86.0% (PGD-20) at ε = 0.1 on this sample
    @AdversarialTest(epsilon = 0.1, attack = {FGSM, PGD}, minAdversarialAccuracy = 0.8)
    void keepsEightyPercentUnderAttack(EvaluationResult result) {
        assertThat(result).hasCleanAccuracyAtLeast(0.97);
    }
}
// end::readme[]
