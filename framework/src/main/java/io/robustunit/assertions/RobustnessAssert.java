package io.robustunit.assertions;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

import org.assertj.core.api.AbstractAssert;

import io.robustunit.metrics.EvaluationResult;

/**
 * Fluent assertions on an {@link EvaluationResult}, with AssertJ's message layout:
 * <pre>
 * Expecting adversarial accuracy of:
 *   FGSM ε=0.1 on MNIST test (1000 examples)
 * to be at least:
 *   80.00%
 * but was:
 *   30.28%
 * </pre>
 * Thresholds are fractions in {@code [0, 1]}.
 */
@API(status = STABLE, since = "0.1")
public final class RobustnessAssert extends AbstractAssert<RobustnessAssert, EvaluationResult> {

    RobustnessAssert(EvaluationResult actual) {
        super(actual, RobustnessAssert.class);
    }

    /**
     * @param minimum the smallest acceptable adversarial accuracy
     * @return this assertion
     */
    public RobustnessAssert hasAdversarialAccuracyAtLeast(double minimum) {
        return atLeast("adversarial accuracy", result().adversarialAccuracy(), minimum);
    }

    /**
     * Passes only when the data show with 95% confidence that the accuracy is high enough: the lower bound
     * of the Wilson interval must reach the minimum.
     *
     * @param minimum the smallest acceptable adversarial accuracy
     * @return this assertion
     */
    public RobustnessAssert hasAdversarialAccuracyLowerBoundAtLeast(double minimum) {
        return atLeast("lower 95% bound of the adversarial accuracy", result().adversarialAccuracyInterval().lower(),
                minimum);
    }

    /**
     * @param minimum the smallest acceptable clean accuracy
     * @return this assertion
     */
    public RobustnessAssert hasCleanAccuracyAtLeast(double minimum) {
        return atLeast("clean accuracy", result().cleanAccuracy(), minimum);
    }

    /**
     * @param maximum the largest acceptable {@code clean − adversarial} accuracy
     * @return this assertion
     */
    public RobustnessAssert hasAccuracyDropAtMost(double maximum) {
        return atMost("accuracy drop", result().accuracyDrop(), maximum);
    }

    /**
     * @param maximum the largest acceptable share of correctly classified examples the attack flips
     * @return this assertion
     */
    public RobustnessAssert hasAttackSuccessRateAtMost(double maximum) {
        return atMost("attack success rate", result().attackSuccessRate(), maximum);
    }

    private EvaluationResult result() {
        isNotNull();
        return actual;
    }

    private RobustnessAssert atLeast(String quantity, double value, double minimum) {
        checkFraction(minimum);
        if (!(value >= minimum)) {
            failWithActualExpectedAndMessage(percent(value), percent(minimum),
                    "%nExpecting %s of:%n  %s%nto be at least:%n  %s%nbut was:%n  %s", quantity, subject(),
                    percent(minimum), percent(value));
        }
        return myself;
    }

    private RobustnessAssert atMost(String quantity, double value, double maximum) {
        checkFraction(maximum);
        if (!(value <= maximum)) {
            failWithActualExpectedAndMessage(percent(value), percent(maximum),
                    "%nExpecting %s of:%n  %s%nto be at most:%n  %s%nbut was:%n  %s", quantity, subject(),
                    percent(maximum), percent(value));
        }
        return myself;
    }

    private String subject() {
        return actual.attack().displayName() + " on " + actual.datasetName() + " (" + actual.size() + " examples)";
    }

    private static void checkFraction(double threshold) {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be a fraction in [0, 1] but was " + threshold);
        }
    }

    private static String percent(double fraction) {
        return Double.isNaN(fraction) ? "n/a" : String.format(java.util.Locale.ROOT, "%.2f%%", 100 * fraction);
    }
}
