package io.robustunit.attack;

/**
 * Per-example arithmetic on rows of logits or probabilities: the predicted class and the classes ranked by score.
 * Ties go to the lower class index, as {@code Predictions} breaks them.
 */
final class Logits {

    private Logits() {
    }

    /** @return the index of the largest of the {@code classes} values from {@code offset}, the first on ties */
    static int argmax(float[] values, int offset, int classes) {
        int best = 0;
        for (int k = 1; k < classes; k++) {
            if (values[offset + k] > values[offset + best]) {
                best = k;
            }
        }
        return best;
    }

    /**
     * Writes the {@code top.length} classes with the largest values, largest first, into {@code top}.
     */
    static void top(float[] values, int offset, int classes, int[] top) {
        int n = top.length;
        int filled = 0;
        for (int k = 0; k < classes; k++) {
            float v = values[offset + k];
            int at = filled;
            while (at > 0 && v > values[offset + top[at - 1]]) {
                at--;
            }
            if (at < n) {
                System.arraycopy(top, at, top, at + 1, Math.min(filled, n - 1) - at);
                top[at] = k;
                filled = Math.min(filled + 1, n);
            }
        }
    }

    /** @return every class, largest value first */
    static int[] ranking(float[] values, int offset, int classes) {
        int[] order = new int[classes];
        top(values, offset, classes, order);
        return order;
    }
}
