package io.robustunit.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.robustunit.attack.Attack;
import io.robustunit.attack.AutoAttack;
import io.robustunit.attack.AutoProjectedGradientDescent;
import io.robustunit.attack.FastGradientMethod;
import io.robustunit.attack.ProjectedGradientDescent;
import io.robustunit.metrics.EvaluationResult;

/** The checks of {@link EvaluationHealth} for one result against one set of probes, each a small rule. */
final class HealthAssessment {

    /** The share of correctly classified examples with a zero gradient above which gradient attacks are blind. */
    static final double MAX_ZERO_GRADIENTS = 0.01;

    /** How many times more examples iterated steps may fool than one step before it counts as masking. */
    static final double MASKING_RATIO = 2.0;

    /** And by how much of the sample at least. */
    static final double MASKING_GAP = 0.05;

    /** What an unbounded attack may leave correct: "about 0%". */
    static final double UNBOUNDED_LEFT = 0.01;

    private static final String PGD = "PGD-" + HealthProbes.PGD_STEPS;

    private final HealthProbes probes;
    private final EvaluationResult result;
    private final Attack attack;
    private final int n;
    private final double tolerance;

    HealthAssessment(HealthProbes probes, EvaluationResult result) {
        this.probes = probes;
        this.result = result;
        this.attack = result.attack();
        this.n = probes.size();
        this.tolerance = Math.max(0.005, 2.0 / n);
    }

    EvaluationHealth checks() {
        List<HealthCheck> checks = new ArrayList<>();
        checks.add(probabilities());
        checks.add(deterministic());
        checks.add(gradients());
        checks.add(iterativeBeatsOneStep());
        checks.add(oneStepNotMasked());
        checks.add(fallsWithEpsilon());
        checks.add(unboundedReachesZero());
        checks.add(blackBoxNoStronger());
        return new EvaluationHealth(checks);
    }

    private HealthCheck probabilities() {
        String problem = probes.probabilityProblem();
        return problem == null ? passed("outputs are probabilities", "every output in [0, 1], each example's sum 1")
                : warning("outputs are probabilities", problem + ": the model's outputs are not a softmax, so the "
                        + "attacks' losses and the reported confidences are not what they claim");
    }

    private HealthCheck deterministic() {
        String name = "outputs are deterministic";
        if (probes.repeatDifference() <= 1e-6) {
            return passed(name, "two identical calls agree");
        }
        return warning(name, String.format(Locale.ROOT, "two identical calls differ by up to %.3g and change %d "
                + "predictions: a randomized model needs attacks that average over its randomness (EOT)",
                probes.repeatDifference(), probes.repeatChangedPredictions()));
    }

    private HealthCheck gradients() {
        String name = "input gradients are not zero";
        int zero = probes.zeroGradients();
        int correct = probes.correct();
        String counts = zero + " of " + correct + " correctly classified examples (" + percent(zero, correct)
                + ") have a zero cross-entropy gradient";
        if (zero <= MAX_ZERO_GRADIENTS * correct) {
            return passed(name, counts);
        }
        return warning(name, counts + ": gradient attacks cannot move them, so their robustness is unmeasured");
    }

    private HealthCheck iterativeBeatsOneStep() {
        String name = "iterative attacks beat one step";
        int fgsm = probes.fgsmCorrect();
        int pgd = pgdAtEpsilon();
        StringBuilder detail = new StringBuilder(probes.fgsmName() + " leaves " + percent(fgsm, n) + ", " + PGD + " "
                + percent(pgd, n));
        boolean weaker = pgd - fgsm > tolerance * n;
        // a targeted attack only counts where it reaches its target, so it may rightly fool fewer than untargeted FGSM
        if (iterativeWhiteBox() && !targeted()) {
            int own = result.adversarial().correct();
            detail.append(", ").append(attack.name()).append(' ').append(percent(own, n));
            weaker |= own - fgsm > tolerance * n;
        }
        return weaker ? warning(name, detail + ": an iterative attack weaker than one step is broken, or the loss "
                + "surface is masked") : passed(name, detail.toString());
    }

    private HealthCheck oneStepNotMasked() {
        String name = "one step is not masked";
        int fgsmFooled = probes.correct() - probes.fgsmCorrect();
        int pgdFooled = probes.correct() - pgdAtEpsilon();
        String detail = PGD + " fools " + percent(pgdFooled, n) + " of the sample, " + probes.fgsmName() + " "
                + percent(fgsmFooled, n);
        if (pgdFooled >= MASKING_RATIO * fgsmFooled && pgdFooled - fgsmFooled >= MASKING_GAP * n) {
            return warning(name, detail + ": one step overstates robustness by "
                    + points(pgdFooled - fgsmFooled) + ", the gradient masking that single-step adversarial training "
                    + "causes; gate on an iterative attack (AUTO)");
        }
        return passed(name, detail);
    }

    private HealthCheck fallsWithEpsilon() {
        String name = "accuracy falls as ε grows";
        List<double[]> grid = probes.pgdCorrect();
        if (grid.size() < 2) {
            return notApplicable(name, "ε is already the full input range");
        }
        StringBuilder detail = new StringBuilder(PGD + ":");
        boolean rises = false;
        for (int i = 0; i < grid.size(); i++) {
            detail.append(i == 0 ? " " : ", ").append(percent((int) grid.get(i)[1], n)).append(" at ε=")
                    .append(format(grid.get(i)[0]));
            rises |= i > 0 && grid.get(i)[1] - grid.get(i - 1)[1] > tolerance * n;
        }
        double first = grid.get(0)[1];
        double last = grid.get(grid.size() - 1)[1];
        boolean flat = first > tolerance * n && last >= first - tolerance * n;
        if (rises || flat) {
            return warning(name, detail + (rises ? ": a larger ε leaves more examples correct"
                    : ": a larger ε fools no more examples") + ", so the attack does not use its budget");
        }
        return passed(name, detail.toString());
    }

    private HealthCheck unboundedReachesZero() {
        String name = "an unbounded attack reaches 0%";
        List<double[]> grid = probes.pgdCorrect();
        double[] full = grid.get(grid.size() - 1);
        int left = (int) full[1];
        String detail = PGD + " at ε=" + format(full[0]) + " (the whole input range) leaves " + percent(left, n);
        if (left <= Math.max(UNBOUNDED_LEFT * n, 1)) {
            return passed(name, detail);
        }
        return warning(name, detail + ": an attack that may change every feature arbitrarily must fool every "
                + "example, so the gradients lead nowhere (masking) or the model ignores its input");
    }

    private HealthCheck blackBoxNoStronger() {
        String name = "black box no stronger than white box";
        if (!(attack instanceof FastGradientMethod || iterativeWhiteBox())) {
            return notApplicable(name, attack.name() + " is not a gradient attack");
        }
        int pgd = pgdAtEpsilon();
        int own = result.adversarial().correct();
        int white = Math.min(own, pgd);
        String best = own <= pgd ? attack.name() : PGD;
        int square = probes.squareCorrect();
        String detail = "Square (" + HealthProbes.SQUARE_QUERIES + " queries) leaves " + percent(square, n)
                + ", the best gradient attack (" + best + ") " + percent(white, n);
        if (white - square > tolerance * n) {
            return warning(name, detail + ": a black box that sees only probabilities finds what the gradients "
                    + "miss, so they are masked");
        }
        return passed(name, detail);
    }

    private boolean iterativeWhiteBox() {
        return attack instanceof ProjectedGradientDescent || attack instanceof AutoProjectedGradientDescent
                || attack instanceof AutoAttack;
    }

    private boolean targeted() {
        return attack instanceof ProjectedGradientDescent pgd && pgd.targetRule() != null;
    }

    private int pgdAtEpsilon() {
        return (int) probes.pgdCorrect().get(0)[1];
    }

    private static HealthCheck passed(String name, String detail) {
        return new HealthCheck(name, HealthCheck.Status.PASSED, detail);
    }

    private static HealthCheck warning(String name, String detail) {
        return new HealthCheck(name, HealthCheck.Status.WARNING, detail);
    }

    private static HealthCheck notApplicable(String name, String detail) {
        return new HealthCheck(name, HealthCheck.Status.NOT_APPLICABLE, detail);
    }

    private static String percent(int count, int of) {
        return of == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100.0 * count / of);
    }

    private String points(int count) {
        return String.format(Locale.ROOT, "%.1f pp", 100.0 * count / n);
    }

    private static String format(double value) {
        return java.math.BigDecimal.valueOf(value).round(new java.math.MathContext(4)).stripTrailingZeros()
                .toPlainString();
    }
}
