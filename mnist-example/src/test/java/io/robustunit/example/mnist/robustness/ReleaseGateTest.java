package io.robustunit.example.mnist.robustness;

// tag::release-gate[]
import static io.robustunit.junit.AttackKind.AUTO;
import static io.robustunit.junit.AttackKind.FGSM;

import java.io.IOException;

import io.robustunit.data.LabelledDataset;
import io.robustunit.example.mnist.MnistData;
import io.robustunit.junit.AdversarialDefaults;
import io.robustunit.junit.AdversarialTest;
import io.robustunit.junit.HealthMode;
import io.robustunit.junit.ModelUnderTest;
import io.robustunit.junit.TestData;

@ModelUnderTest("/models/mnist-mlp-hardened.zip")
@AdversarialDefaults(samples = 500, seed = 42)
class ReleaseGateTest {

    @TestData
    static LabelledDataset testSet() throws IOException {
        return MnistData.test();
    }

    // every commit: one gradient per image
    @AdversarialTest(epsilon = 0.1, attack = FGSM, minAdversarialAccuracy = 0.85)
    void smokeGate() {
    }

    // before a release: the AutoAttack ensemble, and no sign of gradient masking
    @AdversarialTest(epsilon = 0.1, attack = AUTO, minAdversarialAccuracy = 0.82,
            evaluationHealth = HealthMode.FAIL)
    void releaseGate() {
    }
}
// end::release-gate[]
