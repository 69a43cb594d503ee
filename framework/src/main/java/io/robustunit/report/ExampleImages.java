package io.robustunit.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * A few attacked examples of one invocation, as pictures for the report: each clean input beside its
 * adversarial version, with the labels and predictions.
 *
 * @param test the test method
 * @param displayName the invocation's name
 * @param indices each example's index in the declared data
 * @param labels true classes
 * @param cleanPredictions predictions before the attack
 * @param cleanConfidence their probabilities
 * @param adversarialPredictions predictions after it
 * @param adversarialConfidence their probabilities
 * @param clean the clean inputs, one array per example
 * @param adversarial the adversarial inputs
 * @param range the lower and upper bound of the inputs, for scaling to grey levels
 */
@API(status = INTERNAL, since = "0.1")
public record ExampleImages(String test, String displayName, int[] indices, int[] labels, int[] cleanPredictions,
                            float[] cleanConfidence, int[] adversarialPredictions, float[] adversarialConfidence,
                            float[][] clean, float[][] adversarial, float[] range) {

    /** @return the number of examples */
    public int size() {
        return indices.length;
    }

    /** @return the grid of clean and adversarial pictures as PNG, when the inputs are square images */
    public java.util.Optional<byte[]> png() {
        if (size() == 0 || !ExampleGrid.drawable(clean[0].length)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(ExampleGrid.render(this));
    }
}
