package com.example.robustness;

// tag::test[]
import static io.robustunit.assertions.RobustnessAssertions.assertThat;

import io.robustunit.junit.AdversarialTest;
import io.robustunit.junit.AttackKind;
import io.robustunit.junit.ModelUnderTest;
import io.robustunit.junit.TestData;
import io.robustunit.metrics.EvaluationResult;

@ModelUnderTest("/models/mnist-mlp.zip")
@TestData(images = "/mnist/t10k-images-idx3-ubyte.gz", labels = "/mnist/t10k-labels-idx1-ubyte.gz", name = "MNIST test")
class MnistGateTest {

    @AdversarialTest(epsilon = 0.05, attack = AttackKind.FGSM, minAdversarialAccuracy = 0.55)
    void mostDigitsSurviveSmallPerturbations(EvaluationResult result) {
        assertThat(result).hasCleanAccuracyAtLeast(0.95);
    }
}
// end::test[]
