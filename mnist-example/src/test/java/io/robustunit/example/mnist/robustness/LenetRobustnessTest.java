package io.robustunit.example.mnist.robustness;

// tag::cnn[]
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

/**
 * The shipped LeNet, declared with {@code InputType.convolutional(28, 28, 1)}: the 784 pixels of each MNIST example
 * reach it as a {@code [1, 28, 28]} image without a shape argument. On the full test set it keeps 86.4% under FGSM
 * and 76.4% under PGD-20 at ε = 0.1 (see the README).
 */
@ModelUnderTest("/models/mnist-lenet.zip")
@AdversarialDefaults(samples = 2000, seed = 42)
class LenetRobustnessTest {

    @TestData
    static LabelledDataset testSet() throws IOException {
        return MnistData.test();
    }

    @AdversarialTest(epsilon = 0.1, attack = {FGSM, PGD}, minAdversarialAccuracy = 0.7)
    void keepsSeventyPercentAtTenPercentOfTheRange(EvaluationResult result) {
        assertThat(result).hasCleanAccuracyAtLeast(0.985);
    }

    @AdversarialTest(epsilon = {0.05, 0.1}, attack = FGSM, maxAccuracyDrop = 0.2)
    void fgsmCostsAtMostTwentyPoints(EvaluationResult result) {
        assertThat(result).hasAttackSuccessRateAtMost(0.2);
    }
}
// end::cnn[]
