package io.robustunit.junit;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import io.robustunit.data.InputRange;
import io.robustunit.data.LabelledDataset;

/**
 * The four-class version of {@link LinearFixture}, for the attacks that need at least four classes. Logits are
 * {@code 5·x_k}, so the class is the largest feature. Each class has ten examples with its own feature at
 * {@code 0.5 + m/2} and the others at {@code 0.5 − m/2}, for margins {@code m} of 0.05, 0.15, …, 0.95. Under L∞ the
 * worst perturbation lowers the own feature and raises another by ε, so an example flips exactly when {@code m < 2ε};
 * nothing is clipped for ε ≤ 0.4. Clean accuracy is 100%, adversarial accuracy 80% at ε = 0.1, 60% at 0.2 and 40%
 * at 0.3, and 0% for every ε ≥ 0.5. The four features read as a 2×2 image.
 */
final class FourClassFixture {

    static final int CLASSES = 4;

    private FourClassFixture() {
    }

    static MultiLayerNetwork network() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(CLASSES).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        float[][] w = new float[CLASSES][CLASSES];
        for (int k = 0; k < CLASSES; k++) {
            w[k][k] = 5;
        }
        net.getLayer(0).setParam("W", Nd4j.createFromArray(w));
        net.getLayer(0).setParam("b", Nd4j.zeros(1, CLASSES));
        return net;
    }

    static LabelledDataset data() {
        int n = 10 * CLASSES;
        float[] x = new float[n * CLASSES];
        int[] y = new int[n];
        for (int i = 0; i < 10; i++) {
            float half = (0.05f + 0.1f * i) / 2;
            for (int c = 0; c < CLASSES; c++) {
                int row = CLASSES * i + c;
                y[row] = c;
                for (int k = 0; k < CLASSES; k++) {
                    x[row * CLASSES + k] = k == c ? 0.5f + half : 0.5f - half;
                }
            }
        }
        return LabelledDataset.of("four-class fixture", x, y, CLASSES, CLASSES, InputRange.UNIT);
    }
}
