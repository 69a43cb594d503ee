package io.robustunit.example.mnist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.robustunit.data.LabelledDataset;
import io.robustunit.metrics.RobustnessEvaluator;
import io.robustunit.model.dl4j.Dl4jClassifiers;
import io.robustunit.model.dl4j.Dl4jModels;

class ReferenceMlpTest {

    @Test
    void shippedModelReachesTheTargetAccuracyOnTheFullTestSet() throws IOException {
        MultiLayerNetwork shipped = ReferenceMlp.loadShipped();
        double accuracy = RobustnessEvaluator.of(Dl4jClassifiers.of(shipped)).evaluateClean(MnistData.test()).accuracy();
        assertThat(accuracy).isGreaterThanOrEqualTo(0.975);
    }

    @Test
    void shippedModelHasTheTutorialArchitecture() throws IOException {
        MultiLayerNetwork shipped = ReferenceMlp.loadShipped();
        var expected = ReferenceMlp.configuration(ReferenceMlp.DEFAULT_SEED);
        assertThat(shipped.getnLayers()).isEqualTo(2);
        for (int i = 0; i < 2; i++) {
            assertThat(shipped.getLayerWiseConfigurations().getConf(i).getLayer())
                    .isEqualTo(expected.getConf(i).getLayer());
        }
        assertThat(shipped.numParams()).isEqualTo(784L * 128 + 128 + 128 * 10 + 10);
    }

    @Test
    void oneEpochOnAStratifiedTenThousandSubsetReachesNinetyPercent() throws IOException {
        LabelledDataset subset = MnistData.train().stratifiedSample(10_000, 1);
        MultiLayerNetwork network = ReferenceMlp.create(1);
        double[] loss = new double[1];
        MnistTraining.train(network, subset, 1, ReferenceMlp.DEFAULT_BATCH_SIZE, 1, (epoch, meanLoss, seconds) -> loss[0] = meanLoss);
        double accuracy = RobustnessEvaluator.of(Dl4jClassifiers.of(network)).evaluateClean(MnistData.test()).accuracy();
        assertThat(accuracy).isGreaterThanOrEqualTo(0.90);
        assertThat(loss[0]).isBetween(0.0, 1.0);
    }

    @Test
    void saveAndLoadGiveIdenticalOutputs(@TempDir Path dir) throws IOException {
        MultiLayerNetwork shipped = ReferenceMlp.loadShipped();
        Path file = dir.resolve("copy.zip");
        Dl4jModels.save(shipped, file, false);
        MultiLayerNetwork loaded = ReferenceMlp.load(file);

        INDArray x = Nd4j.create(MnistData.test().slice(0, 100).features(), new long[] {100, 784});
        assertThat(loaded.output(x, false)).isEqualTo(shipped.output(x, false));
        assertThat(Dl4jModels.parameterDigest(loaded)).isEqualTo(Dl4jModels.parameterDigest(shipped));
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void missingAndCorruptModelFilesGetClearErrors(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("missing.zip");
        assertThatThrownBy(() -> ReferenceMlp.load(missing)).hasMessage("model file " + missing + " does not exist");
        Path garbage = Files.writeString(dir.resolve("garbage.zip"), "not a zip at all");
        assertThatThrownBy(() -> ReferenceMlp.load(garbage))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("model file " + garbage + " is not a model RobustUnit reads: it is neither a "
                        + "DL4J model zip");
    }
}
