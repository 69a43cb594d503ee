package io.robustunit.example.mnist.robustness;

// tag::keras[]
import static io.robustunit.assertions.RobustnessAssertions.assertThat;
import static io.robustunit.junit.AttackKind.FGSM;

import java.io.IOException;

import io.robustunit.data.LabelledDataset;
import io.robustunit.example.mnist.MnistData;
import io.robustunit.junit.AdversarialDefaults;
import io.robustunit.junit.AdversarialTest;
import io.robustunit.junit.ModelUnderTest;
import io.robustunit.junit.TestData;
import io.robustunit.metrics.EvaluationResult;

// the tutorial's model as Keras 2 saved it with model.save("mnist.h5"), on the test classpath
@ModelUnderTest("/keras/mlp-keras2.h5")
@AdversarialDefaults(samples = 2000, seed = 42)
class KerasMnistTest {

    // 784 pixels per image in [0, 1]: the tutorial's x_test / 255.0, one row per image
    @TestData
    static LabelledDataset testSet() throws IOException {
        return MnistData.test();
    }

    // undefended, the model keeps 60.30% of this sample at ε = 0.05 under FGSM (13.35% at ε = 0.1)
    @AdversarialTest(epsilon = 0.05, attack = FGSM, minAdversarialAccuracy = 0.55)
    void keepsMostDigitsUnderSmallPerturbations(EvaluationResult result) {
        assertThat(result).hasCleanAccuracyAtLeast(0.97);
    }
}
// end::keras[]
