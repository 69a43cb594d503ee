package io.robustunit.junit;

import io.robustunit.attack.Attack;
import io.robustunit.attack.Attacks;
import io.robustunit.attack.FastGradientMethod;
import io.robustunit.attack.Norm;
import io.robustunit.attack.ProjectedGradientDescent;
import io.robustunit.attack.TargetRule;
import io.robustunit.data.InputRange;

/**
 * What one invocation attacks with. Equal specifications give equal results on the same model and data,
 * which makes it the key of the per-class result cache.
 */
record InvocationSpec(AttackKind kind, double epsilon, Norm norm, int samples, long seed, PgdSpec pgd,
                      TargetSpec target) {

    /** PGD's settings; a step size of {@link AdversarialTest#NOT_SET} means {@code 2.5·ε/steps}. */
    record PgdSpec(int steps, double stepSize, boolean randomStart) {
    }

    /** A targeted attack's rule. */
    record TargetSpec(Target rule, int targetClass) {
        TargetRule toRule() {
            return switch (rule) {
                case NEXT_CLASS -> TargetRule.nextClass();
                case LEAST_LIKELY -> TargetRule.leastLikely();
                case FIXED_CLASS -> TargetRule.fixed(targetClass);
            };
        }
    }

    /** @return e.g. {@code FGSM ε=0.05}, {@code PGD ε=0.1 (L2, targeted: next class)}, as the attack names itself */
    String displayName() {
        return toAttack(InputRange.of(0, Math.max(1, epsilon))).displayName();
    }

    /**
     * @param range the data's input range, which the attack clips to
     * @return the attack
     * @throws IllegalArgumentException if ε does not fit the range
     */
    Attack toAttack(InputRange range) {
        TargetRule rule = target == null ? null : target.toRule();
        if (kind == AttackKind.FGSM) {
            FastGradientMethod fgm = Attacks.fgm(epsilon, norm, range);
            return rule == null ? fgm : fgm.targeted(rule);
        }
        PgdSpec settings = pgd == null ? new PgdSpec(ProjectedGradientDescent.DEFAULT_STEPS, AdversarialTest.NOT_SET, false)
                : pgd;
        ProjectedGradientDescent attack = Attacks.pgd(epsilon, norm, range).withSteps(settings.steps());
        if (settings.stepSize() != AdversarialTest.NOT_SET) {
            attack = attack.withStepSize(settings.stepSize());
        }
        if (settings.randomStart()) {
            attack = attack.withRandomStart(seed);
        }
        return rule == null ? attack : attack.targeted(rule);
    }
}
