package io.robustunit.example.mnist.attack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import io.robustunit.data.LabelledDataset;
import io.robustunit.example.mnist.MnistData;
import io.robustunit.example.mnist.peer.PeerWeights;
import io.robustunit.junit.AttackInfo;
import io.robustunit.metrics.EvaluationResult;

/**
 * What the reference AutoAttack implementation (fra31/auto-attack, version "standard", PyTorch) measured at L∞
 * ε = 0.1 on the first 1,000 MNIST test images, in file order, and the bound RobustUnit's attacks must meet: at most
 * 0.5 percentage points above it, that is at least as strong up to the chance of a random start.
 */
final class ReferenceStrength {

    /** The slack over the reference's robust accuracy. */
    static final double SLACK = 0.005;

    /** The reference MLP after 5 epochs of FGSM adversarial training; see the weights' README. */
    static final Map<String, Double> FGSM_TRAINED = Map.of("APGD-CE", 0.504, "APGD-T", 0.494, "Square", 0.521,
            "AUTO", 0.488);

    /** The shipped hardened model, {@code mnist-mlp-hardened.zip}. */
    static final Map<String, Double> HARDENED = Map.of("APGD-CE", 0.807, "APGD-T", 0.804, "Square", 0.811,
            "AUTO", 0.800);

    private ReferenceStrength() {
    }

    /** @return the first 1,000 images of the t10k files, in file order */
    static LabelledDataset first1000() throws IOException {
        return MnistData.test().slice(0, 1000).withName("MNIST test, first 1,000");
    }

    /** @return the FGSM-trained reference weights, from the test resources */
    static MultiLayerNetwork fgsmTrainedWeights() throws IOException {
        try {
            return PeerWeights.load(Path.of(ReferenceStrength.class.getResource("/peer/mnist-mlp-fgsm-adv").toURI()));
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    /** Asserts that the attack left at most the reference's robust accuracy plus the slack. */
    static void atMostReferencePlusSlack(Map<String, Double> reference, EvaluationResult result, AttackInfo info) {
        double bound = reference.get(info.attack().name()) + SLACK;
        assertThat(result.adversarialAccuracy()).as("%s robust accuracy against the reference's %.1f%% + 0.5 pp",
                info.displayName(), 100 * reference.get(info.attack().name())).isLessThanOrEqualTo(bound + 1e-12);
    }
}
