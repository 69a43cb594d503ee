package io.robustunit.junit;

import java.util.Locale;
import java.util.Optional;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.AssertionFailedError;

import io.robustunit.attack.Epsilons;
import io.robustunit.report.Baseline;
import io.robustunit.report.TextTable;

/**
 * Compares an invocation with the committed baseline: a drop beyond the tolerance fails as a robustness
 * regression with a diff table over the method's ε grid; an improvement, a missing entry or a changed model
 * is reported, never failed. In update mode the result is recorded for the new baseline instead.
 */
final class BaselineCheck {

    private final RunReports run;
    private final AdversarialSettings settings;
    private final ClassResources resources;

    BaselineCheck(RunReports run, AdversarialSettings settings, ClassResources resources) {
        this.run = run;
        this.settings = settings;
        this.resources = resources;
    }

    void check(Outcome outcome, ExtensionContext context) {
        Optional<Baseline> baseline = run.baseline();
        if (run.updateBaseline) {
            run.recordForBaseline(Records.baselineEntry(settings, outcome));
            context.publishReportEntry("robustunit.baseline", "recorded for " + run.baselineFile);
            return;
        }
        if (baseline.isEmpty()) {
            return;
        }
        String key = key(outcome);
        Optional<Baseline.Entry> entry = baseline.get().find(key);
        if (entry.isEmpty()) {
            context.publishReportEntry("robustunit.baseline", "no baseline for " + key);
            return;
        }
        Baseline.Entry expected = entry.get();
        double now = outcome.result().adversarialAccuracy();
        String model = expected.modelSha256().equals(outcome.modelDigest()) ? ""
                : "; model changed: baseline parameters sha256 " + expected.modelSha256() + ", now " + outcome.modelDigest();
        if (!regressed(outcome, expected)) {
            String verdict = now > expected.adversarialAccuracy() ? "improved" : "within tolerance";
            context.publishReportEntry("robustunit.baseline", verdict + ": " + TextTable.percent(expected.adversarialAccuracy())
                    + " -> " + TextTable.percent(now) + " (" + delta(now - expected.adversarialAccuracy()) + ")" + model);
            return;
        }
        throw new AssertionFailedError(message(outcome, expected, baseline.get(), model),
                ">= " + TextTable.percent(expected.adversarialAccuracy() - run.tolerance), TextTable.percent(now));
    }

    private String key(Outcome outcome) {
        return Baseline.key(Records.testId(settings), outcome.info().attack().parameters(), outcome.result().size(),
                outcome.spec().seed());
    }

    private boolean regressed(Outcome outcome, Baseline.Entry expected) {
        double compared = run.mode == RunReports.BaselineMode.WILSON
                ? outcome.result().adversarialAccuracyInterval().upper() : outcome.result().adversarialAccuracy();
        return compared < expected.adversarialAccuracy() - run.tolerance;
    }

    private String message(Outcome outcome, Baseline.Entry expected, Baseline baseline, String model) {
        double now = outcome.result().adversarialAccuracy();
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "Robustness regression in %s: %s adversarial accuracy fell from %s to %s (%s; tolerance %s)%n%n",
                ConfigurationErrors.where(settings.method), outcome.spec().displayName(),
                TextTable.percent(expected.adversarialAccuracy()), TextTable.percent(now),
                delta(now - expected.adversarialAccuracy()), delta(run.tolerance).replace("+", "")));
        TextTable table = new TextTable("", "ε", "baseline", "now", "Δ", "").leftAligned(5);
        for (InvocationSpec spec : settings.invocations()) {
            if (spec.kind() != outcome.spec().kind()) {
                continue;
            }
            Outcome other = resources.outcome(spec, settings.batchSize, ConfigurationErrors.where(settings.method));
            Optional<Baseline.Entry> recorded = baseline.find(key(other));
            double current = other.result().adversarialAccuracy();
            table.row(spec.displayName(), Epsilons.format(spec.epsilon()),
                    recorded.map(e -> TextTable.percent(e.adversarialAccuracy())).orElse("none"),
                    TextTable.percent(current),
                    recorded.map(e -> delta(current - e.adversarialAccuracy())).orElse("-"),
                    recorded.map(e -> regressed(other, e) ? "REGRESSION" : "ok").orElse("no baseline"));
        }
        out.append(table.render("  "));
        out.append(String.format(Locale.ROOT, "%n  baseline %s, tolerance %s, compared on the %s%s%n", run.baselineFile,
                delta(run.tolerance).replace("+", ""), run.mode == RunReports.BaselineMode.WILSON
                        ? "upper 95% Wilson bound" : "point estimate", model.isEmpty() ? "; same model parameters" : model));
        return out.toString();
    }

    private static String delta(double fraction) {
        return String.format(Locale.ROOT, "%+.2f pp", 100 * fraction);
    }
}
