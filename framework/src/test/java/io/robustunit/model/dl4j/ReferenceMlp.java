package io.robustunit.model.dl4j;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A hand-written, double-precision forward and backward pass of a one-hidden-layer MLP, reading the
 * weights from a DL4J network: {@code p = softmax(W2ᵀ·f(W1ᵀ·x + b1) + b2)}, {@code J = −log p_y}. It is the
 * independent reference the adapters are checked against.
 */
final class ReferenceMlp {

    private final double[][] w1;
    private final double[] b1;
    private final double[][] w2;
    private final double[] b2;
    private final String activation;

    ReferenceMlp(MultiLayerNetwork net, String activation) {
        this.w1 = net.getLayer(0).getParam("W").toDoubleMatrix();
        this.b1 = net.getLayer(0).getParam("b").toDoubleVector();
        this.w2 = net.getLayer(1).getParam("W").toDoubleMatrix();
        this.b2 = net.getLayer(1).getParam("b").toDoubleVector();
        this.activation = activation;
    }

    private double f(double z) {
        return switch (activation) {
            case "relu" -> Math.max(0, z);
            case "tanh" -> Math.tanh(z);
            case "sigmoid" -> 1 / (1 + Math.exp(-z));
            default -> z;
        };
    }

    private double fPrime(double z) {
        return switch (activation) {
            case "relu" -> z > 0 ? 1 : 0;
            case "tanh" -> 1 - Math.tanh(z) * Math.tanh(z);
            case "sigmoid" -> f(z) * (1 - f(z));
            default -> 1;
        };
    }

    private double[] hiddenPre(double[] x) {
        double[] z = b1.clone();
        for (int j = 0; j < z.length; j++) {
            for (int i = 0; i < x.length; i++) {
                z[j] += x[i] * w1[i][j];
            }
        }
        return z;
    }

    double[] probabilities(double[] x) {
        double[] z1 = hiddenPre(x);
        double[] logits = b2.clone();
        for (int k = 0; k < logits.length; k++) {
            for (int j = 0; j < z1.length; j++) {
                logits[k] += f(z1[j]) * w2[j][k];
            }
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] p = new double[logits.length];
        for (int k = 0; k < p.length; k++) {
            p[k] = Math.exp(logits[k] - max);
            sum += p[k];
        }
        for (int k = 0; k < p.length; k++) {
            p[k] /= sum;
        }
        return p;
    }

    double loss(double[] x, int label) {
        return -Math.log(probabilities(x)[label]);
    }

    double[] gradient(double[] x, int label) {
        double[] z1 = hiddenPre(x);
        double[] dz2 = probabilities(x);
        dz2[label] -= 1;
        double[] dz1 = new double[z1.length];
        for (int j = 0; j < z1.length; j++) {
            double s = 0;
            for (int k = 0; k < dz2.length; k++) {
                s += w2[j][k] * dz2[k];
            }
            dz1[j] = s * fPrime(z1[j]);
        }
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < z1.length; j++) {
                g[i] += w1[i][j] * dz1[j];
            }
        }
        return g;
    }

    static double[] row(float[] x, int row, int width) {
        double[] out = new double[width];
        for (int i = 0; i < width; i++) {
            out[i] = x[row * width + i];
        }
        return out;
    }
}
