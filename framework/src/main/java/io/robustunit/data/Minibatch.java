package io.robustunit.data;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * Rows handed to a network's training step: {@code labels.length} examples of {@code features.length / labels.length}
 * features each, row-major. The arrays are owned by the receiver.
 *
 * @param features the examples, row-major
 * @param labels one class per example
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record Minibatch(float[] features, int[] labels) {

    /**
     * Checks that the arrays describe whole examples.
     *
     * @throws IllegalArgumentException if there are no labels or the features are not a whole number of examples
     */
    public Minibatch {
        if (labels.length == 0 || features.length % labels.length != 0) {
            throw new IllegalArgumentException("a minibatch needs at least one example and a whole number of features "
                    + "per example, but has " + features.length + " features for " + labels.length + " labels");
        }
    }

    /** @return the number of examples */
    public int size() {
        return labels.length;
    }
}
