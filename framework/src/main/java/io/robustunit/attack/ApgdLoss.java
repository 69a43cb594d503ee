package io.robustunit.attack;

import java.util.Arrays;

/**
 * The losses APGD maximises, as functions of one example's logits, computed in double precision: the value, and the
 * gradient with respect to the logits that the classifier back-propagates. Each is unchanged when a constant is
 * added to every logit, so its gradient sums to zero. With {@code π1, π2, …} the classes by decreasing logit:
 * <ul>
 *   <li>cross-entropy {@code ln Σ_k e^{z_k} − z_y};</li>
 *   <li>DLR (Croce and Hein 2020) {@code −(z_y − max_{k≠y} z_k) / (z_π1 − z_π3)}, which also does not change when
 *       the logits are scaled, so saturated softmax outputs do not flatten it;</li>
 *   <li>targeted DLR {@code −(z_y − z_t) / (z_π1 − (z_π3 + z_π4)/2)} for a target class {@code t}.</li>
 * </ul>
 * A tiny constant keeps the denominators positive where the top logits tie, as in the reference implementation.
 */
enum ApgdLoss {

    CROSS_ENTROPY("cross-entropy", 2) {
        @Override
        double apply(float[] z, int zo, int classes, int label, int target, float[] g, int go) {
            double max = z[zo + Logits.argmax(z, zo, classes)];
            double sum = 0;
            for (int k = 0; k < classes; k++) {
                sum += Math.exp(z[zo + k] - max);
            }
            double others = 0;
            for (int k = 0; k < classes; k++) {
                if (k != label) {
                    double p = Math.exp(z[zo + k] - max) / sum;
                    g[go + k] = (float) p;
                    others += p;
                }
            }
            g[go + label] = (float) -others;
            return max + Math.log(sum) - z[zo + label];
        }
    },

    DLR("DLR", 3) {
        @Override
        double apply(float[] z, int zo, int classes, int label, int target, float[] g, int go) {
            int[] top = new int[3];
            Logits.top(z, zo, classes, top);
            int other = top[0] == label ? top[1] : top[0];
            double numerator = (double) z[zo + label] - z[zo + other];
            double denominator = (double) z[zo + top[0]] - z[zo + top[2]] + DENOMINATOR_FLOOR;
            Arrays.fill(g, go, go + classes, 0f);
            add(g, go + label, -1 / denominator);
            add(g, go + other, 1 / denominator);
            double scale = numerator / (denominator * denominator);
            add(g, go + top[0], scale);
            add(g, go + top[2], -scale);
            return -numerator / denominator;
        }
    },

    TARGETED_DLR("targeted DLR", 4) {
        @Override
        double apply(float[] z, int zo, int classes, int label, int target, float[] g, int go) {
            int[] top = new int[4];
            Logits.top(z, zo, classes, top);
            double numerator = (double) z[zo + label] - z[zo + target];
            double denominator = z[zo + top[0]] - ((double) z[zo + top[2]] + z[zo + top[3]]) / 2 + DENOMINATOR_FLOOR;
            Arrays.fill(g, go, go + classes, 0f);
            add(g, go + label, -1 / denominator);
            add(g, go + target, 1 / denominator);
            double scale = numerator / (denominator * denominator);
            add(g, go + top[0], scale);
            add(g, go + top[2], -scale / 2);
            add(g, go + top[3], -scale / 2);
            return -numerator / denominator;
        }
    };

    /** What keeps the DLR denominators positive when the top logits tie. */
    static final double DENOMINATOR_FLOOR = 1e-12;

    private final String description;
    private final int minClasses;

    ApgdLoss(String description, int minClasses) {
        this.description = description;
        this.minClasses = minClasses;
    }

    /** @return e.g. {@code targeted DLR} */
    String description() {
        return description;
    }

    /** @return the fewest classes the loss is defined for */
    int minClasses() {
        return minClasses;
    }

    /**
     * @param z logits, {@code classes} values from {@code zo}
     * @param label the true class
     * @param target the target class of the targeted loss; ignored by the others
     * @param g receives {@code ∂L/∂z}, {@code classes} values from {@code go}
     * @return the loss, to be maximised
     */
    abstract double apply(float[] z, int zo, int classes, int label, int target, float[] g, int go);

    private static void add(float[] g, int at, double value) {
        g[at] = (float) (g[at] + value);
    }
}
