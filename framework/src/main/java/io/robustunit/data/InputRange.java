package io.robustunit.data;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * The closed interval {@code [lower, upper]} that every input feature lies in, e.g. {@code [0, 1]} for
 * pixels scaled by 1/255. Attacks clip their results to it.
 *
 * @param lower the smallest valid feature value
 * @param upper the largest valid feature value
 */
@API(status = STABLE, since = "0.1")
public record InputRange(float lower, float upper) {

    /** The unit interval {@code [0, 1]}: pixel intensities divided by 255. */
    public static final InputRange UNIT = new InputRange(0f, 1f);

    /**
     * Validates the bounds.
     *
     * @throws IllegalArgumentException if a bound is not finite or {@code lower >= upper}
     */
    public InputRange {
        if (!Float.isFinite(lower) || !Float.isFinite(upper) || !(lower < upper)) {
            throw new IllegalArgumentException(
                    "input range must have finite bounds with lower < upper but was [" + lower + ", " + upper + "]");
        }
    }

    /**
     * Returns an input range.
     *
     * @param lower the smallest valid value
     * @param upper the largest valid value
     * @return the range {@code [lower, upper]}
     */
    public static InputRange of(double lower, double upper) {
        return new InputRange((float) lower, (float) upper);
    }

    /** @return {@code upper - lower}, the largest meaningful L∞ perturbation */
    public float width() {
        return upper - lower;
    }

    /**
     * @param value a feature value
     * @return whether the value is finite and inside the range
     */
    public boolean contains(float value) {
        return value >= lower && value <= upper;
    }

    @Override
    public String toString() {
        return "[" + lower + ", " + upper + "]";
    }
}
