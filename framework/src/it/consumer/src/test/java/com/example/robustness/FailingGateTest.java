package com.example.robustness;

import org.junit.jupiter.api.Tag;

import io.robustunit.junit.AdversarialTest;
import io.robustunit.junit.ModelUnderTest;
import io.robustunit.junit.TestData;

/**
 * A gate the undefended model cannot meet: FGSM at ε = 0.1 leaves it about 30% accuracy. It runs only in the
 * show-failure profile, where the build must fail with the message the docs show.
 */
@Tag("demonstrates-failure")
@ModelUnderTest("/models/mnist-mlp.zip")
@TestData(images = "/mnist/t10k-images-idx3-ubyte.gz", labels = "/mnist/t10k-labels-idx1-ubyte.gz", name = "MNIST test")
class FailingGateTest {

    @AdversarialTest(epsilon = 0.1, minAdversarialAccuracy = 0.9)
    void resistsLargerPerturbations() {
    }
}
