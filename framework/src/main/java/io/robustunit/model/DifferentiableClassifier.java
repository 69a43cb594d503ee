package io.robustunit.model;

import static org.apiguardian.api.API.Status.STABLE;

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
     * @return whether several threads may call this classifier at once; an adapter that is not
     *         serializes its calls
     */
    boolean isThreadSafe();

    /** @return a short description, e.g. {@code "MultiLayerNetwork 784-128-10 (dense kernel)"} */
    String description();
}
