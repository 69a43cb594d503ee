package io.robustunit.model;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * A loss of one example's logits, given by its gradient with respect to them: what
 * {@link DifferentiableClassifier#logitGradient(float[], int, int, LogitLoss, float[], float[])} back-propagates to
 * the input. The gradient must sum to zero over the classes, which holds for every loss that does not change when
 * the same constant is added to all logits (cross-entropy, the margin, the DLR loss of Croce and Hein): such a loss
 * is a function of the softmax, so classifiers that expose only probabilities can still compute it exactly.
 *
 * <p>A classifier may call it from several threads at once, each time for another example; it must write only that
 * example's gradient.
 */
@FunctionalInterface
@API(status = EXPERIMENTAL, since = "0.2")
public interface LogitLoss {

    /**
     * Writes {@code ∂L/∂z} for one example.
     *
     * @param example the example's row in the classifier's input
     * @param logits the example's logits, {@code classes} values from {@code logitsOffset}
     * @param logitsOffset where they start
     * @param gradient receives the gradient, {@code classes} values from {@code gradientOffset}, summing to zero
     * @param gradientOffset where it starts
     * @param classes the number of classes
     */
    void gradient(int example, float[] logits, int logitsOffset, float[] gradient, int gradientOffset, int classes);
}
