package io.robustunit.attack;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

import io.robustunit.model.DifferentiableClassifier;

/**
 * How a targeted attack picks the class each example should be pushed into.
 */
@API(status = STABLE, since = "0.1")
public interface TargetRule {

    /**
     * Writes one target per example {@code [from, from + count)} at the same positions of {@code targets}.
     *
     * @param model the classifier under attack
     * @param inputs the clean examples
     * @param labels their true classes
     * @param from the first example
     * @param count the number of examples
     * @param targets receives the targets
     */
    void targets(DifferentiableClassifier model, float[] inputs, int[] labels, int from, int count, int[] targets);

    /** @return a short description, e.g. {@code next class} */
    String description();

    /**
     * @param target a class index
     * @return a rule sending every example to {@code target}
     */
    static TargetRule fixed(int target) {
        if (target < 0) {
            throw new IllegalArgumentException("target class must be >= 0 but was " + target);
        }
        return new TargetRules.Fixed(target);
    }

    /** @return a rule sending class {@code y} to {@code (y + 1) mod classes} */
    static TargetRule nextClass() {
        return TargetRules.NEXT_CLASS;
    }

    /** @return a rule sending each example to the class the model finds least likely for it */
    static TargetRule leastLikely() {
        return TargetRules.LEAST_LIKELY;
    }
}
