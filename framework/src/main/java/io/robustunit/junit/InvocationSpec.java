package io.robustunit.junit;

import io.robustunit.attack.Attack;
import io.robustunit.attack.Attacks;
import io.robustunit.attack.AutoProjectedGradientDescent;
import io.robustunit.attack.FastGradientMethod;
import io.robustunit.attack.Norm;
import io.robustunit.attack.ProjectedGradientDescent;
import io.robustunit.attack.TargetRule;
import io.robustunit.data.InputRange;

/**
 * What one invocation attacks with. Equal specifications give equal results on the same model and data, which
 * makes it the key of the per-class result cache.
 */
record InvocationSpec(AttackPlan plan, double epsilon, Norm norm, int samples, long seed) {

    /** Which attack an invocation runs. */
    sealed interface AttackPlan permits BuiltIn, Provided {

        /** @return the attack's name, e.g. {@code FGSM}, {@code FGM} for L2, or a provider's name */
        String name(Norm norm);

        /** @return e.g. {@code targeted: next class}, or {@code null} for an untargeted attack */
        String target();
    }

    /** A built-in attack with its settings; a PGD step size of {@code NaN} means {@code 2.5·ε/steps}. */
    record BuiltIn(AttackKind kind, int steps, double stepSize, boolean randomStart, TargetChoice choice,
                   int targetClass) implements AttackPlan {

        static BuiltIn of(AttackKind kind, Pgd pgd, Targeted targeted) {
            boolean iterative = kind == AttackKind.PGD && pgd != null;
            return new BuiltIn(kind, iterative ? pgd.steps() : ProjectedGradientDescent.DEFAULT_STEPS,
                    iterative ? pgd.stepSize() : Double.NaN, iterative && pgd.randomStart(),
                    targeted == null ? null : targeted.value(), targeted == null ? 0 : targeted.targetClass());
        }

        @Override
        public String name(Norm norm) {
            return switch (kind) {
                case FGSM -> norm == Norm.L2 ? "FGM" : "FGSM";
                case PGD -> "PGD";
                case APGD_CE -> "APGD-CE";
                case APGD_DLR -> "APGD-DLR";
                case APGD_T -> "APGD-T";
                case SQUARE -> "Square";
                case AUTO -> "AUTO";
            };
        }

        /** @return whether {@link Targeted} configures this attack: FGSM and PGD take a target rule */
        boolean takesTargetRule() {
            return kind == AttackKind.FGSM || kind == AttackKind.PGD;
        }

        @Override
        public String target() {
            return choice == null ? null : rule().description();
        }

        TargetRule rule() {
            return switch (choice) {
                case NEXT_CLASS -> TargetRule.nextClass();
                case LEAST_LIKELY -> TargetRule.leastLikely();
                case FIXED_CLASS -> TargetRule.fixed(targetClass);
            };
        }
    }

    /** An attack of the user's, made by an {@link AttackProvider}. */
    record Provided(Class<? extends AttackProvider> type, String providerName) implements AttackPlan {

        @Override
        public String name(Norm norm) {
            return providerName;
        }

        @Override
        public String target() {
            return null;
        }
    }

    /** @return the attack's name, e.g. {@code FGSM} */
    String attackName() {
        return plan.name(norm);
    }

    /**
     * @param range the data's input range, which the attack clips to
     * @return the attack
     * @throws IllegalArgumentException if ε does not fit the range, or a provider's attack does not match the
     *         invocation
     */
    Attack toAttack(InputRange range) {
        if (plan instanceof Provided provided) {
            return ProvidedAttacks.create(provided, new AttackContext(epsilon, norm, range, seed));
        }
        BuiltIn builtIn = (BuiltIn) plan;
        TargetRule rule = builtIn.choice() == null ? null : builtIn.rule();
        switch (builtIn.kind()) {
            case APGD_CE:
                return Attacks.apgd(epsilon, norm, range).withSeed(seed);
            case APGD_DLR:
                return Attacks.apgd(epsilon, norm, range).withLoss(AutoProjectedGradientDescent.Loss.DLR)
                        .withSeed(seed);
            case APGD_T:
                return Attacks.apgd(epsilon, norm, range).withSeed(seed)
                        .targetingTopClasses(AutoProjectedGradientDescent.DEFAULT_TARGET_CLASSES);
            case SQUARE:
                return Attacks.square(epsilon, norm, range).withSeed(seed);
            case AUTO:
                return Attacks.auto(epsilon, norm, range).withSeed(seed);
            default:
                break;
        }
        if (builtIn.kind() == AttackKind.FGSM) {
            FastGradientMethod fgm = Attacks.fgm(epsilon, norm, range);
            return rule == null ? fgm : fgm.targeted(rule);
        }
        ProjectedGradientDescent attack = Attacks.pgd(epsilon, norm, range).withSteps(builtIn.steps());
        if (!Double.isNaN(builtIn.stepSize())) {
            attack = attack.withStepSize(builtIn.stepSize());
        }
        if (builtIn.randomStart()) {
            attack = attack.withRandomStart(seed);
        }
        return rule == null ? attack : attack.targeted(rule);
    }
}
