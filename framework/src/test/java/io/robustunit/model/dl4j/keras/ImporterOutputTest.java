package io.robustunit.model.dl4j.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.preprocessors.KerasFlattenRnnPreprocessor;
import org.junit.jupiter.api.Test;

import io.robustunit.model.DifferentiableClassifier;
import io.robustunit.model.dl4j.Dl4jClassifiers;
import io.robustunit.model.dl4j.Dl4jModels;

/**
 * A network a project imports itself with DL4J's {@code KerasModelImport} (training configuration not enforced), as
 * the importer makes it from the tutorial's Keras 2 model: a {@code KerasFlattenRnnPreprocessor(28, 28)} before the
 * first dense layer and a softmax {@code DenseLayer} without a loss at the end. RobustUnit attacks it as it is, without
 * a shape argument, with the numbers of the same file loaded by {@link Dl4jModels#load}.
 */
class ImporterOutputTest {

    @Test
    void theImportersOwnNetworkIsAttackedWithoutAShapeAndGivesTheLoadedModelsNumbers() throws Exception {
        String file = KerasFixtures.path("mlp-keras2.h5").toString();
        MultiLayerNetwork imported = KerasModelImport.importKerasSequentialModelAndWeights(file, false);
        assertThat(imported.getLayerWiseConfigurations().getInputPreProcess(0))
                .isInstanceOf(KerasFlattenRnnPreprocessor.class);
        assertThat(imported.getLayerWiseConfigurations().getConf(1).getLayer()).isExactlyInstanceOf(DenseLayer.class);

        DifferentiableClassifier attacked = Dl4jClassifiers.of(imported);
        DifferentiableClassifier loaded = Dl4jClassifiers.of(Dl4jModels.load(KerasFixtures.path("mlp-keras2.h5")));
        assertThat(attacked.description()).isEqualTo("MultiLayerNetwork [784] -> 10 (RobustUnit kernels)");
        assertThat(Dl4jModels.parameterDigest(imported)).isEqualTo(Dl4jModels.parameterDigest(
                Dl4jModels.load(KerasFixtures.path("mlp-keras2.h5"))));

        int n = 5;
        float[] x = new float[n * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i * 37 % 101) / 100f;
        }
        int[] labels = {0, 3, 5, 7, 9};
        float[] p = new float[n * 10];
        float[] q = new float[n * 10];
        attacked.probabilities(x, 0, n, p);
        loaded.probabilities(x, 0, n, q);
        float[] g = new float[x.length];
        float[] h = new float[x.length];
        attacked.lossGradient(x, labels, 0, n, g);
        loaded.lossGradient(x, labels, 0, n, h);
        assertThat(p).containsExactly(q);
        assertThat(g).containsExactly(h);

        DifferentiableClassifier backprop = Dl4jClassifiers.usingDl4jBackprop(imported);
        float[] r = new float[n * 10];
        backprop.probabilities(x, 0, n, r);
        for (int i = 0; i < r.length; i++) {
            assertThat((double) r[i]).isCloseTo(p[i], within(1e-6));
        }
    }
}
