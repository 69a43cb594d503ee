package io.robustunit.example.mnist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

import io.robustunit.data.LabelledDataset;
import io.robustunit.metrics.RobustnessEvaluator;
import io.robustunit.model.DifferentiableClassifier;
import io.robustunit.model.dl4j.Dl4jModels;

class ReferenceLenetTest {

    @Test
    void shippedModelReachesTheTargetAccuracyOnTheFullTestSet() throws IOException {
        MultiLayerNetwork shipped = ReferenceLenet.loadShipped();
        DifferentiableClassifier classifier = Dl4jModels.trainable(shipped).classifier(MnistData.PIXELS);
        assertThat(classifier.description()).endsWith("(RobustUnit kernels)");
        double accuracy = RobustnessEvaluator.of(classifier).evaluateClean(MnistData.test()).accuracy();
        assertThat(accuracy).isGreaterThanOrEqualTo(0.985);
    }

    @Test
    void shippedModelHasTheDeclaredArchitecture() throws IOException {
        MultiLayerNetwork shipped = ReferenceLenet.loadShipped();
        var expected = ReferenceLenet.configuration(ReferenceLenet.DEFAULT_SEED);
        assertThat(shipped.getnLayers()).isEqualTo(6);
        for (int i = 0; i < 6; i++) {
            assertThat(shipped.getLayerWiseConfigurations().getConf(i).getLayer())
                    .isEqualTo(expected.getConf(i).getLayer());
        }
        // conv 5×5 1→20, conv 5×5 20→50, dense 800→500, dense 500→10, with biases
        assertThat(shipped.numParams()).isEqualTo((25 * 20 + 20) + (500 * 50 + 50) + (800 * 500 + 500) + (500 * 10 + 10));
    }

    @Test
    void trainsFromFlatPixelsOneEpochOnAStratifiedSubsetReachesNinetyPercent() throws IOException {
        // 784 pixels per example meet InputType.convolutional(28, 28, 1) as [batch, 1, 28, 28]
        LabelledDataset subset = MnistData.train().stratifiedSample(3_000, 1);
        MultiLayerNetwork network = ReferenceLenet.create(1);
        double[] loss = new double[1];
        MnistTraining.train(network, subset, 1, 32, 1, (epoch, meanLoss, seconds) -> loss[0] = meanLoss);
        double accuracy = RobustnessEvaluator.of(Dl4jModels.trainable(network).classifier(MnistData.PIXELS))
                .evaluateClean(MnistData.test().slice(0, 2_000)).accuracy();
        assertThat(accuracy).isGreaterThanOrEqualTo(0.90);
        assertThat(loss[0]).isBetween(0.0, 1.0);
    }
}
