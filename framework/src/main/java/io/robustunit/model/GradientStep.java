package io.robustunit.model;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * Turns one example's loss gradient into its output row, e.g. {@code clip(x + ε·sign(g))}. Attacks pass it
 * to {@link DifferentiableClassifier#lossGradient(float[], int[], int, int, float[], GradientStep)} so that
 * a classifier can apply it while the gradient is still in cache, instead of writing every gradient to
 * memory and reading it back.
 */
@FunctionalInterface
@API(status = EXPERIMENTAL, since = "0.1")
public interface GradientStep {

    /**
     * @param inputs the attacked examples; this one's features start at {@code offset}
     * @param offset where this example starts in {@code inputs} and in {@code out}
     * @param gradient this example's loss gradient, {@code width} values from {@code gradientOffset}; it may be
     *        {@code out} itself, so read each element before writing the same element
     * @param gradientOffset where the gradient starts in {@code gradient}
     * @param out receives the example's output row at {@code offset}
     * @param width the number of features
     */
    void apply(float[] inputs, int offset, float[] gradient, int gradientOffset, float[] out, int width);
}
