package io.robustunit.metrics;

/**
 * The most likely class of each example and its probability.
 *
 * @param classes the predicted class per example
 * @param confidence the probability of that class per example
 */
record Predictions(int[] classes, float[] confidence) {

    static Predictions fromProbabilities(float[] probabilities, int numClasses) {
        int n = probabilities.length / numClasses;
        int[] classes = new int[n];
        float[] confidence = new float[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            int off = i * numClasses;
            for (int k = 1; k < numClasses; k++) {
                if (probabilities[off + k] > probabilities[off + best]) {
                    best = k;
                }
            }
            classes[i] = best;
            confidence[i] = probabilities[off + best];
        }
        return new Predictions(classes, confidence);
    }
}
