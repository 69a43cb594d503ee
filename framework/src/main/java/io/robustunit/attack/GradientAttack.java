package io.robustunit.attack;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.robustunit.data.InputRange;

/**
 * What the built-in gradient attacks share: the budget, the norm, the input range and the optional target rule, all
 * validated when the attack is made, and the parameters that identify the attack in reports and baselines.
 */
abstract class GradientAttack implements Attack {

    final double epsilon;
    final Norm norm;
    final InputRange range;
    final TargetRule target;

    GradientAttack(double epsilon, Norm norm, InputRange range, TargetRule target) {
        this.norm = Objects.requireNonNull(norm, "norm");
        this.range = Objects.requireNonNull(range, "range");
        this.epsilon = epsilon;
        this.target = target;
        if (norm == Norm.LINF) {
            Epsilons.checkLinf(name(), epsilon, range);
        } else {
            Epsilons.checkPositive(name(), "epsilon", epsilon);
        }
    }

    @Override
    public final double epsilon() {
        return epsilon;
    }

    @Override
    public final Norm norm() {
        return norm;
    }

    @Override
    public final InputRange range() {
        return range;
    }

    /** @return the target rule, or {@code null} for an untargeted attack */
    public final TargetRule targetRule() {
        return target;
    }

    /**
     * @return {@code attack}, {@code norm}, {@code epsilon}, then the subclass's own parameters, then
     *         {@code targeted} and {@code range}
     */
    @Override
    public final Map<String, String> parameters() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("attack", name());
        p.put("norm", norm.symbol());
        p.put("epsilon", Epsilons.format(epsilon));
        addParameters(p);
        p.put("targeted", target == null ? "no" : target.description());
        p.put("range", range.toString());
        return p;
    }

    /** Adds the parameters specific to the attack, in a fixed order. */
    abstract void addParameters(Map<String, String> parameters);

    @Override
    public final String displayName() {
        return Epsilons.displayName(name(), epsilon, norm, target);
    }

    @Override
    public final String toString() {
        return displayName() + " " + parameters();
    }
}
