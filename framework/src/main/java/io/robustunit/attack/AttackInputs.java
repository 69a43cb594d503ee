package io.robustunit.attack;

import java.util.stream.IntStream;

import io.robustunit.data.InputRange;
import io.robustunit.model.DifferentiableClassifier;

/** The checks every attack makes before it does any work. */
final class AttackInputs {

    private AttackInputs() {
    }

    static void check(String attack, DifferentiableClassifier model, float[] inputs, int[] labels, int from, int count,
                      float[] adversarial, InputRange range) {
        int d = model.inputSize();
        if (from < 0 || count < 0) {
            throw new IllegalArgumentException(attack + ": rows [" + from + ", " + from + " + " + count + ") are invalid");
        }
        if (inputs.length % d != 0) {
            throw new IllegalArgumentException(attack + ": inputs hold " + inputs.length
                    + " values, which is not a whole number of examples of the model's input size " + d);
        }
        if ((long) (from + count) * d > inputs.length) {
            throw new IllegalArgumentException(attack + ": rows [" + from + ", " + (from + count) + ") requested but inputs hold "
                    + inputs.length / d + " examples of size " + d);
        }
        if (adversarial.length < (long) (from + count) * d) {
            throw new IllegalArgumentException(attack + ": the output array holds " + adversarial.length
                    + " values but " + (long) (from + count) * d + " are needed");
        }
        if (labels.length < from + count) {
            throw new IllegalArgumentException(attack + ": " + labels.length + " labels for rows [" + from + ", "
                    + (from + count) + ")");
        }
        for (int i = from; i < from + count; i++) {
            if (labels[i] < 0 || labels[i] >= model.numClasses()) {
                throw new IllegalArgumentException(attack + ": label of example " + i + " is " + labels[i]
                        + "; labels must be in [0, " + model.numClasses() + ")");
            }
        }
        float lo = range.lower();
        float hi = range.upper();
        int end = (from + count) * d;
        if (lo >= 0f && withinBits(inputs, from * d, end, Float.floatToRawIntBits(lo + 0f), Float.floatToRawIntBits(hi))) {
            return;
        }
        for (int i = from * d; i < end; i++) {
            float v = inputs[i];
            if (!(v >= lo && v <= hi)) {
                throw new IllegalArgumentException(attack + ": feature " + (i % d) + " of example " + (i / d) + " is " + v
                        + "; inputs must be finite and within the input range " + range);
            }
        }
    }

    /** Values per part below which the range check is not split over the fork-join pool. */
    private static final int PARALLEL_CHECK_MIN = 1 << 16;

    /**
     * Whether every value's bits, as a signed int, lie in {@code [loBits, hiBits]}, {@code 0 ≤ loBits ≤ hiBits}: for a
     * range of non-negative bounds that is the range check itself, NaNs and negative values (-0 included) falling
     * outside. One of {@code bits − loBits} and {@code hiBits − bits} is negative exactly when the bits are outside,
     * overflow included, so an OR of both over the values tells. That is branch-free int code, which C2 vectorizes,
     * unlike float comparisons on JDK 17; large inputs are split over the cores (the common pool and this thread), since one core cannot read
     * memory as fast as two. A {@code false} goes on to the exact check, which names the value (and lets -0 through
     * where the range starts at 0).
     */
    private static boolean withinBits(float[] values, int from, int end, int loBits, int hiBits) {
        int parts = Math.min(Runtime.getRuntime().availableProcessors(), (end - from) / PARALLEL_CHECK_MIN);
        if (parts <= 1) {
            return withinBitsSerial(values, from, end, loBits, hiBits);
        }
        long length = end - from;
        return IntStream.range(0, parts).parallel().allMatch(p -> withinBitsSerial(values,
                from + (int) (length * p / parts), from + (int) (length * (p + 1) / parts), loBits, hiBits));
    }

    private static boolean withinBitsSerial(float[] values, int from, int end, int loBits, int hiBits) {
        int outside = 0;
        for (int i = from; i < end; i++) {
            int bits = Float.floatToRawIntBits(values[i]);
            outside |= (bits - loBits) | (hiBits - bits);
        }
        return outside >= 0;
    }

    /**
     * All checks of {@link #check} plus, for L2, that ε fits the input box.
     */
    static void check(String attack, DifferentiableClassifier model, float[] inputs, int[] labels, int from, int count,
                      float[] adversarial, InputRange range, Norm norm, double epsilon) {
        check(attack, model, inputs, labels, from, count, adversarial, range);
        if (norm == Norm.L2) {
            checkL2Budget(attack, epsilon, range, model.inputSize());
        }
    }

    /** @return the classes the loss is taken against: the labels, or each example's target if there is a rule */
    static int[] goals(DifferentiableClassifier model, float[] inputs, int[] labels, int from, int count,
                       TargetRule target) {
        if (target == null) {
            return labels;
        }
        int[] goal = new int[from + count];
        target.targets(model, inputs, labels, from, count, goal);
        return goal;
    }

    static void checkL2Budget(String attack, double epsilon, InputRange range, int inputSize) {
        double max = range.width() * Math.sqrt(inputSize);
        if (epsilon > max) {
            throw new IllegalArgumentException(attack + " L2 epsilon must be in (0, " + max
                    + "] (the diameter of the input box) but was " + epsilon);
        }
    }

    /** @return the rows of {@code [from, from + count)} the model classifies correctly, by its probabilities */
    static int[] correctRows(DifferentiableClassifier model, float[] inputs, int[] labels, int from, int count) {
        int c = model.numClasses();
        float[] p = new float[(from + count) * c];
        model.probabilities(inputs, from, count, p);
        int[] rows = new int[count];
        int n = 0;
        for (int r = from; r < from + count; r++) {
            if (Logits.argmax(p, r * c, c) == labels[r]) {
                rows[n++] = r;
            }
        }
        return java.util.Arrays.copyOf(rows, n);
    }

    /**
     * @throws IllegalArgumentException naming the attack, the loss and the model's class count if the loss needs
     *         more classes
     */
    static void checkClasses(String attack, String why, int needed, DifferentiableClassifier model) {
        if (model.numClasses() < needed) {
            throw new IllegalArgumentException(attack + " needs a classifier of at least " + needed + " classes ("
                    + why + ") but " + model.description() + " has " + model.numClasses());
        }
    }
}
