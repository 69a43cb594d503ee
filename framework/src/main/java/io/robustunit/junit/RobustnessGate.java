package io.robustunit.junit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.opentest4j.AssertionFailedError;

import io.robustunit.attack.Attack;
import io.robustunit.attack.AutoAttack;
import io.robustunit.attack.AutoProjectedGradientDescent;
import io.robustunit.attack.ProjectedGradientDescent;
import io.robustunit.attack.SquareAttack;
import io.robustunit.health.EvaluationHealth;
import io.robustunit.metrics.EvaluationResult;
import io.robustunit.metrics.WilsonInterval;
import io.robustunit.report.TextTable;

/** The thresholds of one invocation, checked against its outcome after the test body. */
final class RobustnessGate {

    /** How many fooled examples a failure lists. */
    static final int WORST_EXAMPLES = 5;

    private final TestSettings settings;
    private final Outcome outcome;
    private final String displayName;
    private final EvaluationResult result;
    private final double gated;

    RobustnessGate(TestSettings settings, Outcome outcome, String displayName) {
        this.settings = settings;
        this.outcome = outcome;
        this.displayName = displayName;
        this.result = outcome.result();
        WilsonInterval interval = result.adversarialAccuracyInterval();
        this.gated = switch (settings.gateMode) {
            case WILSON_LOWER_BOUND -> interval.lower();
            case WILSON_UPPER_BOUND -> interval.upper();
            default -> result.adversarialAccuracy();
        };
    }

    /** @return the numbers of this invocation, for the test report */
    Map<String, String> reportEntry() {
        Map<String, String> entry = new LinkedHashMap<>();
        entry.put("robustunit.attack", displayName);
        entry.put("cleanAccuracy", format(result.cleanAccuracy()));
        entry.put("adversarialAccuracy", format(result.adversarialAccuracy()));
        entry.put("adversarialAccuracy95", interval());
        entry.put("accuracyDrop", format(result.accuracyDrop()));
        entry.put("samples", String.valueOf(result.size()));
        entry.put("seed", String.valueOf(outcome.spec().seed()));
        settings.minAdversarialAccuracy.ifPresent(min -> entry.put("minAdversarialAccuracy", format(min)
                + " (margin " + format(gated - min) + ")"));
        settings.maxAccuracyDrop.ifPresent(max -> entry.put("maxAccuracyDrop", format(max)
                + " (margin " + format(max - gatedDrop()) + ")"));
        entry.put("evaluationHealth", outcome.health().summary());
        return entry;
    }

    private double gatedDrop() {
        return result.cleanAccuracy() - gated;
    }

    /** @throws AssertionFailedError with every number needed to act, if a threshold is missed */
    void check() {
        boolean minMissed = settings.minAdversarialAccuracy.isPresent()
                && gated < settings.minAdversarialAccuracy.getAsDouble();
        boolean dropMissed = settings.maxAccuracyDrop.isPresent() && gatedDrop() > settings.maxAccuracyDrop.getAsDouble();
        EvaluationHealth health = outcome.health();
        boolean unhealthy = settings.healthMode == HealthMode.FAIL && !health.isHealthy();
        if (!minMissed && !dropMissed && !unhealthy) {
            return;
        }
        String headline;
        String expected;
        String actual;
        if (minMissed) {
            double min = settings.minAdversarialAccuracy.getAsDouble();
            headline = gatedName() + " " + percent(gated) + " is below the minimum " + percent(min);
            expected = ">= " + percent(min);
            actual = percent(gated);
        } else if (dropMissed) {
            double max = settings.maxAccuracyDrop.getAsDouble();
            headline = "accuracy drop " + points(gatedDrop()) + " exceeds the maximum " + points(max);
            expected = "<= " + points(max);
            actual = points(gatedDrop());
        } else {
            headline = "evaluation health " + health.summary() + ", and evaluationHealth is FAIL";
            expected = "no evaluation-health warning";
            actual = health.summary();
        }
        String message = displayName + " on " + settings.where() + ": " + headline + "\n\n" + details(minMissed,
                dropMissed);
        throw new AssertionFailedError(message, expected, actual);
    }

    private String details(boolean minMissed, boolean dropMissed) {
        InvocationSpec spec = outcome.spec();
        TextTable table = new TextTable("", "").leftAligned(1);
        table.row("attack", describeAttack());
        table.row("norm", spec.norm().symbol());
        table.row("ε", Settings.format(spec.epsilon()));
        table.row("samples", result.size() + " of " + outcome.datasetSize()
                + (result.size() < outcome.datasetSize() ? ", stratified" : ""));
        table.row("seed", spec.seed());
        table.row("model", outcome.model() + " (parameters sha256 " + outcome.modelDigest() + ")");
        table.row("data", outcome.dataset());
        table.row("clean accuracy", percent(result.cleanAccuracy()));
        table.row("adversarial accuracy", percent(result.adversarialAccuracy()) + "  95% Wilson CI " + interval());
        table.row("accuracy drop", points(result.accuracyDrop()));
        table.row("attack success rate", percent(result.attackSuccessRate()));
        settings.minAdversarialAccuracy.ifPresent(min -> table.row("min adversarial accuracy", percent(min)
                + (minMissed ? "  MISSED" : "  met") + gateNote()));
        settings.maxAccuracyDrop.ifPresent(max -> table.row("max accuracy drop", points(max)
                + (dropMissed ? "  MISSED" : "  met") + gateNote()));
        return table.renderBody("  ") + "\n  worst examples (index, true → predicted, confidence)\n" + worstExamples()
                + "\n  evaluation health: " + outcome.health().summary() + " (evaluationHealth = " + settings.healthMode
                + ")\n"
                + outcome.health().describe("    ");
    }

    private String describeAttack() {
        Attack attack = result.attack();
        String target = outcome.spec().plan().target();
        StringBuilder out = new StringBuilder(attack.name());
        if (attack instanceof AutoAttack auto) {
            AutoProjectedGradientDescent apgd = (AutoProjectedGradientDescent) auto.stages().get(1);
            SquareAttack square = (SquareAttack) auto.stages().get(2);
            return out.append(": ").append(auto.parameters().get("stages")).append(", ").append(apgd.iterations())
                    .append(" iterations, targets: top ").append(apgd.targetClasses()).append(" classes, ")
                    .append(square.queries()).append(" queries, seed ").append(auto.seed()).toString();
        }
        if (attack instanceof AutoProjectedGradientDescent apgd) {
            out.append(apgd.targetClasses() > 0 ? ", targets: top " + apgd.targetClasses() + " classes"
                    : ", untargeted");
            return out.append(", ").append(apgd.iterations()).append(" iterations, ").append(apgd.restarts())
                    .append(apgd.restarts() == 1 ? " restart" : " restarts").append(", seed ").append(apgd.seed())
                    .toString();
        }
        if (attack instanceof SquareAttack square) {
            return out.append(", untargeted, ").append(square.queries()).append(" queries, p_init ")
                    .append(Settings.format(square.pInit())).append(", seed ").append(square.seed()).toString();
        }
        out.append(target == null ? ", untargeted" : ", targeted: " + target);
        if (attack instanceof ProjectedGradientDescent pgd) {
            out.append(", ").append(pgd.steps()).append(" steps of ").append(Settings.format(pgd.stepSize()))
                    .append(pgd.randomStart() ? ", random start" : ", no random start");
        } else if (outcome.spec().plan() instanceof InvocationSpec.Provided) {
            out.append(", ").append(attack.parameters());
        }
        return out.toString();
    }

    private String worstExamples() {
        List<EvaluationResult.Misclassification> worst = result.worstExamples(WORST_EXAMPLES);
        if (worst.isEmpty()) {
            return "    none: every adversarial example is classified correctly\n";
        }
        TextTable table = new TextTable("", "", "");
        for (EvaluationResult.Misclassification m : worst) {
            table.row("#" + outcome.indices()[m.index()], m.actual() + " → " + m.predicted(), percent(m.confidence()));
        }
        return table.renderBody("    ");
    }

    private String gatedName() {
        return switch (settings.gateMode) {
            case WILSON_LOWER_BOUND -> "the lower 95% bound of the adversarial accuracy";
            case WILSON_UPPER_BOUND -> "the upper 95% bound of the adversarial accuracy";
            default -> "adversarial accuracy";
        };
    }

    private String gateNote() {
        return switch (settings.gateMode) {
            case WILSON_LOWER_BOUND -> " (gated on the lower 95% bound)";
            case WILSON_UPPER_BOUND -> " (gated on the upper 95% bound)";
            default -> " (gated on the point estimate)";
        };
    }

    private String interval() {
        WilsonInterval i = result.adversarialAccuracyInterval();
        return "[" + percent(i.lower()) + ", " + percent(i.upper()) + "]";
    }

    private static String percent(double fraction) {
        return TextTable.percent(fraction);
    }

    private static String points(double fraction) {
        return String.format(Locale.ROOT, "%.2f pp", 100 * fraction);
    }

    private static String format(double fraction) {
        return String.format(Locale.ROOT, "%.4f", fraction);
    }
}
