package io.robustunit.attack;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;
import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

import io.robustunit.data.InputRange;

/**
 * Entry point for the built-in attacks. Each returns an immutable attack with inputs in {@code [0, 1]};
 * change it with its {@code with…} methods:
 * <pre>{@code
 * Attacks.fgsm(0.1)
 * Attacks.fgsm(0.1).targeted(TargetRule.leastLikely())
 * Attacks.fgm(1.5, Norm.L2)
 * Attacks.pgd(0.1).withSteps(40).withRandomStart(42)
 * Attacks.apgd(0.1).targetingTopClasses(9)
 * Attacks.square(0.1).withQueries(1000)
 * Attacks.auto(0.1).withSeed(42)
 * }</pre>
 */
@API(status = STABLE, since = "0.1")
public final class Attacks {

    private Attacks() {
    }

    /**
     * @param epsilon the L∞ budget, in {@code (0, 1]}
     * @return untargeted FGSM
     */
    public static FastGradientMethod fgsm(double epsilon) {
        return new FastGradientMethod(epsilon, Norm.LINF, InputRange.UNIT, null);
    }

    /**
     * @param epsilon the budget in the given norm
     * @param norm the norm
     * @return the untargeted fast gradient method
     */
    public static FastGradientMethod fgm(double epsilon, Norm norm) {
        return fgm(epsilon, norm, InputRange.UNIT);
    }

    /**
     * @param epsilon the budget in the given norm; for L∞ at most the width of {@code range}
     * @param norm the norm
     * @param range the valid input interval the result is clipped to
     * @return the untargeted fast gradient method
     */
    public static FastGradientMethod fgm(double epsilon, Norm norm, InputRange range) {
        return new FastGradientMethod(epsilon, norm, range, null);
    }

    /**
     * @param epsilon the L∞ budget, in {@code (0, 1]}
     * @return untargeted L∞ PGD with {@value ProjectedGradientDescent#DEFAULT_STEPS} steps of {@code 2.5·ε/steps},
     *         starting from the clean input
     */
    public static ProjectedGradientDescent pgd(double epsilon) {
        return pgd(epsilon, Norm.LINF);
    }

    /**
     * @param epsilon the budget in the given norm
     * @param norm the norm of the ball and of each step
     * @return untargeted PGD with {@value ProjectedGradientDescent#DEFAULT_STEPS} steps of {@code 2.5·ε/steps},
     *         starting from the clean input
     */
    public static ProjectedGradientDescent pgd(double epsilon, Norm norm) {
        return pgd(epsilon, norm, InputRange.UNIT);
    }

    /**
     * @param epsilon the budget in the given norm; for L∞ at most the width of {@code range}
     * @param norm the norm of the ball and of each step
     * @param range the valid input interval every iterate is clipped to
     * @return untargeted PGD with the default steps, starting from the clean input
     */
    public static ProjectedGradientDescent pgd(double epsilon, Norm norm, InputRange range) {
        return ProjectedGradientDescent.defaults(epsilon, norm, range);
    }

    /**
     * @param epsilon the L∞ budget, in {@code (0, 1]}
     * @return APGD-CE with AutoAttack's settings: 100 iterations, 1 restart, seed 0
     */
    @API(status = EXPERIMENTAL, since = "0.2")
    public static AutoProjectedGradientDescent apgd(double epsilon) {
        return apgd(epsilon, Norm.LINF);
    }

    /**
     * @param epsilon the budget in the given norm
     * @param norm the norm of the ball and of each step
     * @return APGD-CE with AutoAttack's settings
     */
    @API(status = EXPERIMENTAL, since = "0.2")
    public static AutoProjectedGradientDescent apgd(double epsilon, Norm norm) {
        return apgd(epsilon, norm, InputRange.UNIT);
    }

    /**
     * @param epsilon the budget in the given norm; for L∞ at most the width of {@code range}
     * @param norm the norm of the ball and of each step
     * @param range the valid input interval every iterate is clipped to
     * @return APGD-CE with AutoAttack's settings
     */
    @API(status = EXPERIMENTAL, since = "0.2")
    public static AutoProjectedGradientDescent apgd(double epsilon, Norm norm, InputRange range) {
        return AutoProjectedGradientDescent.defaults(epsilon, norm, range);
    }

    /**
     * @param epsilon the L∞ budget, in {@code (0, 1]}
     * @return the Square Attack with AutoAttack's settings: 5,000 queries, {@code p_init = 0.8}, seed 0
     */
    @API(status = EXPERIMENTAL, since = "0.2")
    public static SquareAttack square(double epsilon) {
        return square(epsilon, Norm.LINF);
    }

    /**
     * @param epsilon the budget in the given norm
     * @param norm the norm of the ball
     * @return the Square Attack with AutoAttack's settings
     */
    @API(status = EXPERIMENTAL, since = "0.2")
    public static SquareAttack square(double epsilon, Norm norm) {
        return square(epsilon, norm, InputRange.UNIT);
    }

    /**
     * @param epsilon the budget in the given norm; for L∞ at most the width of {@code range}
     * @param norm the norm of the ball
     * @param range the valid input interval every query is clipped to
     * @return the Square Attack with AutoAttack's settings
     */
    @API(status = EXPERIMENTAL, since = "0.2")
    public static SquareAttack square(double epsilon, Norm norm, InputRange range) {
        return SquareAttack.defaults(epsilon, norm, range);
    }

    /**
     * @param epsilon the L∞ budget, in {@code (0, 1]}
     * @return the AutoAttack ensemble (APGD-CE, APGD-T, Square), seed 0
     */
    @API(status = EXPERIMENTAL, since = "0.2")
    public static AutoAttack auto(double epsilon) {
        return auto(epsilon, Norm.LINF);
    }

    /**
     * @param epsilon the budget in the given norm
     * @param norm the norm of the ball
     * @return the AutoAttack ensemble
     */
    @API(status = EXPERIMENTAL, since = "0.2")
    public static AutoAttack auto(double epsilon, Norm norm) {
        return auto(epsilon, norm, InputRange.UNIT);
    }

    /**
     * @param epsilon the budget in the given norm; for L∞ at most the width of {@code range}
     * @param norm the norm of the ball
     * @param range the valid input interval
     * @return the AutoAttack ensemble
     */
    @API(status = EXPERIMENTAL, since = "0.2")
    public static AutoAttack auto(double epsilon, Norm norm, InputRange range) {
        return AutoAttack.defaults(epsilon, norm, range);
    }
}
