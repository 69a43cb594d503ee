package io.robustunit.example.mnist.robustness;

// tag::source[]
import static io.robustunit.assertions.RobustnessAssertions.assertThat;

import java.io.IOException;

import io.robustunit.data.LabelledDataset;
import io.robustunit.example.mnist.MnistData;
import io.robustunit.junit.AdversarialTest;
import io.robustunit.junit.AttackSource;
import io.robustunit.junit.ModelUnderTest;
import io.robustunit.junit.TestData;
import io.robustunit.metrics.EvaluationResult;

@ModelUnderTest("/models/mnist-mlp.zip")
class RandomNoiseTest {

    @TestData
    static LabelledDataset testSet() throws IOException {
        return MnistData.test();
    }

    // noise of ε = 0.2 costs the undefended model under 3 points; FGSM of half that size costs it 67
    @AdversarialTest(epsilon = {0.1, 0.2}, minAdversarialAccuracy = 0.95, samples = 2000)
    @AttackSource(UniformNoise.class)
    void randomNoiseIsNotAnAttack(EvaluationResult result) {
        assertThat(result).hasAccuracyDropAtMost(0.05);
    }
}
// end::source[]
