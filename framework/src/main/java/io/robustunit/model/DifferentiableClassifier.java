package io.robustunit.model;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;
import static org.apiguardian.api.API.Status.STABLE;

import java.util.Arrays;

import org.apiguardian.api.API;

/**
 * A classifier the attacks can query: class probabilities for a batch, and the gradient of each example's
 * cross-entropy loss with respect to its input. This is the only view of a model the framework needs;
 * {@link io.robustunit.model.dl4j.Dl4jClassifiers} adapts Deeplearning4j networks to it.
 *
 * <p>Inputs are {@code inputSize()} floats per example in row-major order. Every method works on the rows
 * {@code [from, from + count)} of its input array and writes the same rows of its output array, so whole
 * datasets can be processed batch by batch without copying. Gradients are always those of the model in
 * inference mode: no dropout, no noise, no batch statistics.
 *
 * <p>Losses other than cross-entropy, such as the DLR loss of APGD, are functions of the logits; {@link #logits} and
 * {@link #logitGradient} serve them. Their defaults derive both from the two methods above, so every implementation
 * supports them; an implementation that has the pre-softmax values overrides them to be exact and faster.
 *
 * <p>Implementations say whether they are safe for concurrent use; see {@link #isThreadSafe()}.
 */
@API(status = STABLE, since = "0.1")
public interface DifferentiableClassifier {

    /** @return the number of input features per example */
    int inputSize();

    /** @return the number of classes */
    int numClasses();

    /**
     * Computes class probabilities.
     *
     * @param inputs examples, {@code inputSize()} values each
     * @param from the first example
     * @param count the number of examples
     * @param probabilities receives {@code numClasses()} probabilities per example at row {@code from + i}
     */
    void probabilities(float[] inputs, int from, int count, float[] probabilities);

    /**
     * Computes {@code ∂J(x, y)/∂x} for each example, where {@code J} is the cross-entropy of that example
     * alone (not averaged over the batch).
     *
     * @param inputs examples, {@code inputSize()} values each
     * @param labels one class per example (the true label, or a target for targeted attacks), indexed by
     *        example like {@code inputs}
     * @param from the first example
     * @param count the number of examples
     * @param gradient receives {@code inputSize()} values per example at row {@code from + i}
     */
    void lossGradient(float[] inputs, int[] labels, int from, int count, float[] gradient);

    /**
     * Computes each example's loss gradient, as {@link #lossGradient(float[], int[], int, int, float[])} does,
     * and hands it to {@code step}, which writes the example's row of {@code out}. Rows are independent;
     * {@code out} may be {@code inputs}. The default materializes the gradients in {@code out} first;
     * implementations may apply the step per example while its gradient is in cache.
     *
     * @param inputs examples, {@code inputSize()} values each
     * @param labels one class per example, indexed like {@code inputs}
     * @param from the first example
     * @param count the number of examples
     * @param out receives the rows {@code step} writes
     * @param step turns an example's gradient into its output row
     */
    default void lossGradient(float[] inputs, int[] labels, int from, int count, float[] out, GradientStep step) {
        int d = inputSize();
        float[] gradient = out == inputs ? new float[(from + count) * d] : out;
        lossGradient(inputs, labels, from, count, gradient);
        for (int r = from; r < from + count; r++) {
            step.apply(inputs, r * d, gradient, r * d, out, d);
        }
    }

    /**
     * The logarithm of a probability below this is taken at this value: {@code ln(Float.MIN_VALUE)}, about −103.3,
     * where a float32 softmax underflows anyway.
     */
    @API(status = EXPERIMENTAL, since = "0.2")
    double MIN_LOG_PROBABILITY = Math.log(Float.MIN_VALUE);

    /**
     * Computes the logits: scores whose softmax is {@link #probabilities}. Logits are defined only up to a constant
     * per example, which changes neither the softmax nor any {@link LogitLoss}. The default returns the log of the
     * probabilities, each at least {@link #MIN_LOG_PROBABILITY} so that a probability that underflowed to zero gives
     * a finite value; the ordering of the classes, and every loss of the logits that involves only classes whose
     * probability did not underflow, are then those of the true logits.
     *
     * @param inputs examples, {@code inputSize()} values each
     * @param from the first example
     * @param count the number of examples
     * @param logits receives {@code numClasses()} values per example at row {@code from + i}
     */
    @API(status = EXPERIMENTAL, since = "0.2")
    default void logits(float[] inputs, int from, int count, float[] logits) {
        probabilities(inputs, from, count, logits);
        int c = numClasses();
        for (int i = from * c; i < (from + count) * c; i++) {
            logits[i] = (float) Math.max(Math.log(logits[i]), MIN_LOG_PROBABILITY);
        }
    }

    /**
     * Computes the logits of each example and the input gradient of a loss of them: {@code ∂L/∂x = Jᵀ·∂L/∂z}, where
     * {@code J} is the Jacobian of the logits and {@code ∂L/∂z} is what {@code loss} writes for the example's logits.
     * The default gets the logits from {@link #logits}, then uses that {@code ∂L/∂z} sums to zero: with {@code p}
     * the probabilities, the cross-entropy gradient for class {@code c} is {@code Jᵀ(p − e_c)}, so
     * {@code Jᵀg = −Σ_c g_c·∂J(x, c)/∂x}, one {@link #lossGradient} call per class where {@code g} is not zero (at
     * most five for the DLR losses). Implementations with the pre-softmax values back-propagate once.
     *
     * @param inputs examples, {@code inputSize()} values each
     * @param from the first example
     * @param count the number of examples
     * @param loss gives each example's {@code ∂L/∂z}; it may be called from several threads, one example each
     * @param logits receives {@code numClasses()} logits per example at row {@code from + i}
     * @param gradient receives {@code inputSize()} values per example at row {@code from + i}
     * @throws IllegalArgumentException naming the example if a gradient of {@code loss} does not sum to zero
     */
    @API(status = EXPERIMENTAL, since = "0.2")
    default void logitGradient(float[] inputs, int from, int count, LogitLoss loss, float[] logits,
                               float[] gradient) {
        int d = inputSize();
        int c = numClasses();
        logits(inputs, from, count, logits);
        float[] upstream = new float[count * c];
        int slots = 0;
        for (int r = 0; r < count; r++) {
            loss.gradient(from + r, logits, (from + r) * c, upstream, r * c, c);
            requireZeroSum(upstream, r * c, c, from + r);
            int nonZero = 0;
            for (int k = 0; k < c; k++) {
                nonZero += upstream[r * c + k] != 0 ? 1 : 0;
            }
            slots = Math.max(slots, nonZero);
        }
        float[] x = Arrays.copyOfRange(inputs, from * d, (from + count) * d);
        float[] classGradient = new float[count * d];
        int[] classes = new int[count];
        float[] weights = new float[count];
        Arrays.fill(gradient, from * d, (from + count) * d, 0f);
        for (int slot = 0; slot < slots; slot++) {
            for (int r = 0; r < count; r++) {
                classes[r] = 0;
                weights[r] = 0f;
                for (int k = 0, seen = 0; k < c; k++) {
                    if (upstream[r * c + k] != 0 && seen++ == slot) {
                        classes[r] = k;
                        weights[r] = upstream[r * c + k];
                        break;
                    }
                }
            }
            lossGradient(x, classes, 0, count, classGradient);
            for (int r = 0; r < count; r++) {
                float w = weights[r];
                if (w != 0) {
                    int out = (from + r) * d;
                    for (int i = 0; i < d; i++) {
                        gradient[out + i] -= w * classGradient[r * d + i];
                    }
                }
            }
        }
    }

    /**
     * @throws IllegalArgumentException if the {@code classes} values from {@code offset} do not sum to zero up to float
     *         rounding, {@code |Σ g| ≤ 1e-4·Σ|g| + 1e-6}, where {@code p − e_y} computed in float still passes
     */
    private static void requireZeroSum(float[] values, int offset, int classes, int example) {
        double sum = 0;
        double magnitude = 0;
        for (int k = offset; k < offset + classes; k++) {
            sum += values[k];
            magnitude += Math.abs(values[k]);
        }
        if (!(Math.abs(sum) <= 1e-4 * magnitude + 1e-6)) {
            throw new IllegalArgumentException("the logit gradient of example " + example + " sums to " + sum
                    + " but must sum to zero: " + Arrays.toString(Arrays.copyOfRange(values, offset, offset + classes)));
        }
    }

    /**
     * @return whether several threads may call this classifier at once; an adapter that is not
     *         serializes its calls
     */
    boolean isThreadSafe();

    /** @return a short description, e.g. {@code "MultiLayerNetwork 784-128-10 (dense kernel)"} */
    String description();
}
