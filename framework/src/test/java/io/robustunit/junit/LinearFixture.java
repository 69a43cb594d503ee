package io.robustunit.junit;

import java.util.concurrent.atomic.AtomicInteger;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import io.robustunit.data.InputRange;
import io.robustunit.data.LabelledDataset;
import io.robustunit.model.DifferentiableClassifier;
import io.robustunit.model.dl4j.Dl4jClassifiers;
import io.robustunit.model.GradientStep;

/**
 * A model whose robustness is known by hand. Logits are {@code 5·(x0 − x1)} and {@code 5·(x1 − x0)}, so the
 * class is whichever feature is larger, and FGSM moves both features of every example by ε towards the
 * other class. Each class has ten examples centred on 0.5 with margins {@code |x0 − x1|} of 0.05, 0.15, …,
 * 0.95; an example flips exactly when its margin is below 2ε, and nothing is clipped for ε ≤ 0.4. So clean
 * accuracy is 100% and adversarial accuracy is 80% at ε = 0.1, 60% at 0.2 and 40% at 0.3, for FGSM and PGD.
 */
final class LinearFixture {

    static final AtomicInteger GRADIENT_CALLS = new AtomicInteger();

    private LinearFixture() {
    }

    static MultiLayerNetwork network() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(2).nOut(2).activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        net.getLayer(0).setParam("W", Nd4j.createFromArray(new float[][] {{5, -5}, {-5, 5}}));
        net.getLayer(0).setParam("b", Nd4j.zeros(1, 2));
        return net;
    }

    static LabelledDataset data() {
        float[] x = new float[40];
        int[] y = new int[20];
        for (int i = 0; i < 10; i++) {
            float half = (0.05f + 0.1f * i) / 2;
            x[4 * i] = 0.5f + half;
            x[4 * i + 1] = 0.5f - half;
            y[2 * i] = 0;
            x[4 * i + 2] = 0.5f - half;
            x[4 * i + 3] = 0.5f + half;
            y[2 * i + 1] = 1;
        }
        return LabelledDataset.of("linear fixture", x, y, 2, 2, InputRange.UNIT);
    }

    /** The fixture's classifier, counting how often gradients are computed. */
    static DifferentiableClassifier counting() {
        DifferentiableClassifier inner = Dl4jClassifiers.of(network());
        return new DifferentiableClassifier() {
            @Override
            public int inputSize() {
                return inner.inputSize();
            }

            @Override
            public int numClasses() {
                return inner.numClasses();
            }

            @Override
            public void probabilities(float[] inputs, int from, int count, float[] probabilities) {
                inner.probabilities(inputs, from, count, probabilities);
            }

            @Override
            public void lossGradient(float[] inputs, int[] labels, int from, int count, float[] gradient) {
                GRADIENT_CALLS.incrementAndGet();
                inner.lossGradient(inputs, labels, from, count, gradient);
            }

            @Override
            public void lossGradient(float[] inputs, int[] labels, int from, int count, float[] out, GradientStep step) {
                GRADIENT_CALLS.incrementAndGet();
                inner.lossGradient(inputs, labels, from, count, out, step);
            }

            @Override
            public boolean isThreadSafe() {
                return inner.isThreadSafe();
            }

            @Override
            public String description() {
                return "counting " + inner.description();
            }
        };
    }
}
