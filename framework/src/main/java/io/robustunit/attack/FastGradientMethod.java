package io.robustunit.attack;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.robustunit.data.InputRange;
import io.robustunit.model.DifferentiableClassifier;

/**
 * The fast gradient method of Goodfellow et al. (2014): one step of size ε along the loss gradient.
 * <ul>
 *   <li>untargeted, L∞ (FGSM): {@code x' = clip(x + ε·sign(∇ₓJ(x, y)))};</li>
 *   <li>targeted: {@code x' = clip(x − ε·sign(∇ₓJ(x, t)))} for a target {@code t} from a {@link TargetRule};</li>
 *   <li>L2: the step is {@code ε·g/‖g‖₂} instead of {@code ε·sign(g)}, as in IBM ART and Foolbox.</li>
 * </ul>
 * {@code J} is each example's own cross-entropy and {@code clip} keeps every feature in {@link #range()}.
 */
public final class FastGradientMethod implements Attack {

    private final double epsilon;
    private final Norm norm;
    private final InputRange range;
    private final TargetRule target;

    FastGradientMethod(double epsilon, Norm norm, InputRange range, TargetRule target) {
        this.norm = Objects.requireNonNull(norm, "norm");
        this.range = Objects.requireNonNull(range, "range");
        this.target = target;
        this.epsilon = epsilon;
        if (norm == Norm.LINF) {
            Epsilons.checkLinf(name(), epsilon, range);
        } else {
            Epsilons.checkPositive(name(), "epsilon", epsilon);
        }
    }

    @Override
    public String name() {
        return norm == Norm.LINF ? "FGSM" : "FGM";
    }

    @Override
    public double epsilon() {
        return epsilon;
    }

    @Override
    public Norm norm() {
        return norm;
    }

    @Override
    public InputRange range() {
        return range;
    }

    /** @return the target rule, or {@code null} for an untargeted attack */
    public TargetRule targetRule() {
        return target;
    }

    @Override
    public FastGradientMethod withEpsilon(double newEpsilon) {
        return new FastGradientMethod(newEpsilon, norm, range, target);
    }

    @Override
    public FastGradientMethod withRange(InputRange newRange) {
        return new FastGradientMethod(epsilon, norm, newRange, target);
    }

    /**
     * @param newNorm the norm of the step
     * @return this attack with another norm
     */
    public FastGradientMethod withNorm(Norm newNorm) {
        return new FastGradientMethod(epsilon, newNorm, range, target);
    }

    /**
     * @param rule how to pick each example's target class
     * @return a targeted version of this attack
     */
    public FastGradientMethod targeted(TargetRule rule) {
        return new FastGradientMethod(epsilon, norm, range, Objects.requireNonNull(rule, "rule"));
    }

    @Override
    public Map<String, String> parameters() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("attack", name());
        p.put("norm", norm.symbol());
        p.put("epsilon", Epsilons.format(epsilon));
        p.put("targeted", target == null ? "no" : target.description());
        p.put("range", range.toString());
        return p;
    }

    @Override
    public void generate(DifferentiableClassifier model, float[] inputs, int[] labels, int from, int count,
                         float[] adversarial) {
        AttackInputs.check(name(), model, inputs, labels, from, count, adversarial, range, norm, epsilon);
        int[] goal = AttackInputs.goals(model, inputs, labels, from, count, target);
        float step = target == null ? (float) epsilon : (float) -epsilon;
        model.lossGradient(inputs, goal, from, count, adversarial,
                norm == Norm.LINF ? Steps.sign(step, range) : Steps.l2(step, range));
    }

    @Override
    public String displayName() {
        return Epsilons.displayName(name(), epsilon, norm, target);
    }

    @Override
    public String toString() {
        return displayName() + " " + parameters();
    }
}
