package io.robustunit.attack;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * A softmax-linear DL4J classifier {@code z = Wx + b} whose exact robustness is known by hand: without clipping, the
 * worst perturbation against class {@code k} moves every feature by ε against {@code w_y − w_k} (L∞) or by ε along
 * it (L2), so an example of class {@code y} can be fooled iff some {@code k ≠ y} has
 * {@code (w_y − w_k)·x + b_y − b_k < ε·‖w_y − w_k‖₁} (L∞) or {@code < ε·‖w_y − w_k‖₂} (L2). The examples lie in
 * {@code [0.3, 0.7]}, so no ε up to 0.3 clips, and each one's margin to that threshold is at least
 * {@value #MARGIN}, so any strong attack decides it the same way.
 */
final class LinearModel {

    static final int SIDE = 4;
    static final int D = SIDE * SIDE;
    static final double MARGIN = 0.15;

    final int classes;
    final float[][] w;
    final float[] b;
    final MultiLayerNetwork network;

    LinearModel(int classes, long seed) {
        this.classes = classes;
        SplittableRandom random = new SplittableRandom(seed);
        w = new float[classes][D];
        b = new float[classes];
        for (int k = 0; k < classes; k++) {
            for (int i = 0; i < D; i++) {
                w[k][i] = (float) random.nextDouble(-1, 1);
            }
            b[k] = (float) random.nextDouble(-0.2, 0.2);
        }
        network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(D).nOut(classes)
                        .activation(Activation.SOFTMAX).build())
                .build());
        network.init();
        float[][] weights = new float[D][classes];
        for (int k = 0; k < classes; k++) {
            for (int i = 0; i < D; i++) {
                weights[i][k] = w[k][i];
            }
        }
        network.getLayer(0).setParam("W", Nd4j.createFromArray(weights));
        network.getLayer(0).setParam("b", Nd4j.createFromArray(new float[][] {b}));
    }

    double logit(float[] x, int o, int k) {
        double z = b[k];
        for (int i = 0; i < D; i++) {
            z += (double) w[k][i] * x[o + i];
        }
        return z;
    }

    int predict(float[] x, int o) {
        int best = 0;
        for (int k = 1; k < classes; k++) {
            if (logit(x, o, k) > logit(x, o, best)) {
                best = k;
            }
        }
        return best;
    }

    /** @return the smallest margin to misclassification after the worst perturbation of size ε; negative: fooled */
    double worstMargin(float[] x, int o, int y, double eps, Norm norm) {
        double worst = Double.POSITIVE_INFINITY;
        for (int k = 0; k < classes; k++) {
            if (k != y) {
                double size = 0;
                for (int i = 0; i < D; i++) {
                    double v = w[y][i] - w[k][i];
                    size += norm == Norm.LINF ? Math.abs(v) : v * v;
                }
                size = norm == Norm.LINF ? size : Math.sqrt(size);
                worst = Math.min(worst, logit(x, o, y) - logit(x, o, k) - eps * size);
            }
        }
        return worst;
    }

    /** Examples labelled by the model itself, each with a worst margin at least {@link #MARGIN} from zero. */
    Examples examples(int count, double eps, Norm norm, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<float[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        while (rows.size() < count) {
            float[] x = new float[D];
            for (int i = 0; i < D; i++) {
                x[i] = (float) random.nextDouble(0.3, 0.7);
            }
            int y = predict(x, 0);
            if (Math.abs(worstMargin(x, 0, y, eps, norm)) >= MARGIN) {
                rows.add(x);
                labels.add(y);
            }
        }
        float[] features = new float[count * D];
        int[] y = new int[count];
        boolean[] foolable = new boolean[count];
        for (int r = 0; r < count; r++) {
            System.arraycopy(rows.get(r), 0, features, r * D, D);
            y[r] = labels.get(r);
            foolable[r] = worstMargin(features, r * D, y[r], eps, norm) < 0;
        }
        return new Examples(features, y, foolable);
    }

    record Examples(float[] x, int[] y, boolean[] foolable) {
        int count() {
            return y.length;
        }
    }
}
