package io.robustunit.assertions;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

import io.robustunit.metrics.EvaluationResult;

/**
 * Entry point for RobustUnit's AssertJ assertions:
 * <pre>{@code
 * import static io.robustunit.assertions.RobustnessAssertions.assertThat;
 *
 * assertThat(result).hasAdversarialAccuracyAtLeast(0.8).hasAccuracyDropAtMost(0.1);
 * }</pre>
 */
@API(status = STABLE, since = "0.1")
public final class RobustnessAssertions {

    private RobustnessAssertions() {
    }

    /**
     * @param actual the evaluation to check
     * @return its assertion
     */
    public static RobustnessAssert assertThat(EvaluationResult actual) {
        return new RobustnessAssert(actual);
    }
}
