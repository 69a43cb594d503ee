package io.robustunit.junit;

import java.util.Locale;
import java.util.Optional;

import org.opentest4j.AssertionFailedError;

import io.robustunit.report.Baseline;
import io.robustunit.report.BaselineVerdict;
import io.robustunit.report.TextTable;

/**
 * Compares an invocation with the committed baseline. A drop beyond the tolerance is a robustness regression,
 * which fails with a diff table over the method's ε grid; so is a missing entry when the run requires one. An
 * improvement or a changed model is reported, never failed. In update mode the result is recorded instead.
 */
final class BaselineCheck {

    private final RunReports run;
    private final TestSettings settings;
    private final Fixtures fixtures;

    BaselineCheck(RunReports run, TestSettings settings, Fixtures fixtures) {
        this.run = run;
        this.settings = settings;
        this.fixtures = fixtures;
    }

    /** @return what the baseline makes of the outcome; records it in update mode */
    BaselineVerdict compare(Outcome outcome) {
        Optional<Baseline> baseline = run.baseline();
        if (run.settings.updateBaseline()) {
            run.recordForBaseline(Records.baselineEntry(settings, outcome));
            return BaselineVerdict.of(BaselineVerdict.RECORDED);
        }
        if (baseline.isEmpty()) {
            return BaselineVerdict.of(BaselineVerdict.NO_BASELINE);
        }
        Optional<Baseline.Entry> entry = baseline.get().find(key(outcome));
        if (entry.isEmpty()) {
            return BaselineVerdict.of(BaselineVerdict.MISSING);
        }
        Baseline.Entry expected = entry.get();
        double now = outcome.result().adversarialAccuracy();
        String verdict = regressed(outcome, expected) ? BaselineVerdict.REGRESSED
                : now > expected.adversarialAccuracy() ? BaselineVerdict.IMPROVED : BaselineVerdict.WITHIN_TOLERANCE;
        return new BaselineVerdict(verdict, expected.adversarialAccuracy(),
                !expected.modelSha256().equals(outcome.modelDigest()));
    }

    /** @return a report entry describing the verdict */
    String describe(BaselineVerdict verdict, Outcome outcome) {
        if (Double.isNaN(verdict.baselineAccuracy())) {
            return verdict.verdict() + (verdict.verdict().equals(BaselineVerdict.MISSING) ? ": no entry for "
                    + key(outcome) : "") + " (" + run.settings.baselineFile() + ")";
        }
        double now = outcome.result().adversarialAccuracy();
        String model = !verdict.modelChanged() ? "" : "; model changed: baseline parameters sha256 "
                + run.baseline().flatMap(b -> b.find(key(outcome))).map(Baseline.Entry::modelSha256).orElse("?")
                + ", now " + outcome.modelDigest();
        return verdict.verdict() + ": " + TextTable.percent(verdict.baselineAccuracy()) + " -> "
                + TextTable.percent(now) + " (" + delta(now - verdict.baselineAccuracy()) + ")" + model;
    }

    /**
     * @throws AssertionFailedError for a regression, or a missing entry when the run requires baselines
     */
    void enforce(BaselineVerdict verdict, Outcome outcome, String displayName) {
        if (verdict.verdict().equals(BaselineVerdict.REGRESSED)) {
            Baseline baseline = run.baseline().orElseThrow();
            Baseline.Entry expected = baseline.find(key(outcome)).orElseThrow();
            throw new AssertionFailedError(message(outcome, expected, baseline, displayName),
                    ">= " + TextTable.percent(expected.adversarialAccuracy() - run.settings.tolerance()),
                    TextTable.percent(outcome.result().adversarialAccuracy()));
        }
        boolean missing = verdict.verdict().equals(BaselineVerdict.MISSING)
                || verdict.verdict().equals(BaselineVerdict.NO_BASELINE);
        if (missing && run.settings.baselineRequired()) {
            throw new AssertionFailedError(displayName + " on " + settings.where() + " has no baseline entry in "
                    + run.settings.baselineFile() + " (key " + key(outcome) + "), and "
                    + AdversarialTest.BASELINE_REQUIRED_PROPERTY + "=true requires one; record it with -D"
                    + AdversarialTest.BASELINE_UPDATE_PROPERTY + "=true");
        }
    }

    private String key(Outcome outcome) {
        return Baseline.key(settings.testId(), outcome.result().attack().parameters(), outcome.result().size(),
                outcome.spec().seed());
    }

    private boolean regressed(Outcome outcome, Baseline.Entry expected) {
        double compared = run.settings.baselineMode() == BaselineMode.WILSON
                ? outcome.result().adversarialAccuracyInterval().upper() : outcome.result().adversarialAccuracy();
        return compared < expected.adversarialAccuracy() - run.settings.tolerance();
    }

    private String message(Outcome outcome, Baseline.Entry expected, Baseline baseline, String displayName) {
        double now = outcome.result().adversarialAccuracy();
        boolean sameModel = expected.modelSha256().equals(outcome.modelDigest());
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "Robustness regression in %s: %s adversarial accuracy fell from %s to %s (%s; tolerance %s)%n%n",
                settings.where(), displayName, TextTable.percent(expected.adversarialAccuracy()),
                TextTable.percent(now), delta(now - expected.adversarialAccuracy()), points(run.settings.tolerance())));
        TextTable table = new TextTable("", "ε", "baseline", "now", "Δ", "").leftAligned(5);
        for (TestSettings.Invocation invocation : settings.invocations()) {
            if (!invocation.spec().plan().equals(outcome.spec().plan())) {
                continue;
            }
            Outcome other = Outcomes.of(fixtures, invocation.spec(), settings.batchSize, settings.where());
            Optional<Baseline.Entry> recorded = baseline.find(key(other));
            double current = other.result().adversarialAccuracy();
            table.row(invocation.displayName(), Settings.format(invocation.spec().epsilon()),
                    recorded.map(e -> TextTable.percent(e.adversarialAccuracy())).orElse("none"),
                    TextTable.percent(current),
                    recorded.map(e -> delta(current - e.adversarialAccuracy())).orElse("-"),
                    recorded.map(e -> regressed(other, e) ? "REGRESSION" : "ok").orElse("no baseline"));
        }
        out.append(table.render("  "));
        out.append(String.format(Locale.ROOT, "%n  baseline %s, tolerance %s, compared on the %s%s%n",
                run.settings.baselineFile(), points(run.settings.tolerance()),
                run.settings.baselineMode() == BaselineMode.WILSON ? "upper 95% Wilson bound" : "point estimate",
                sameModel ? "; same model parameters" : "; model changed: baseline parameters sha256 "
                        + expected.modelSha256() + ", now " + outcome.modelDigest()));
        return out.toString();
    }

    private static String delta(double fraction) {
        return String.format(Locale.ROOT, "%+.2f pp", 100 * fraction);
    }

    private static String points(double fraction) {
        return String.format(Locale.ROOT, "%.2f pp", 100 * fraction);
    }
}
