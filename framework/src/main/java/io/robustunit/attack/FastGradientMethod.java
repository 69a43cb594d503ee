package io.robustunit.attack;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.Map;
import java.util.Objects;

import org.apiguardian.api.API;

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
@API(status = STABLE, since = "0.1")
public final class FastGradientMethod extends GradientAttack {

    FastGradientMethod(double epsilon, Norm norm, InputRange range, TargetRule target) {
        super(epsilon, norm, range, target);
    }

    /** @return {@code FGSM} for L∞, {@code FGM} for L2 */
    @Override
    public String name() {
        return norm() == Norm.LINF ? "FGSM" : "FGM";
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
    void addParameters(Map<String, String> parameters) {
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
}
