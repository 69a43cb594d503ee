package io.robustunit.junit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.robustunit.metrics.EvaluationResult;
import io.robustunit.report.Baseline;
import io.robustunit.report.BaselineVerdict;
import io.robustunit.report.ExampleImages;
import io.robustunit.report.ResultRecord;

/** Turns an invocation's outcome into what the reports and the baseline store. */
final class Records {

    /** Examples pictured per invocation. */
    static final int EXAMPLES = 8;

    private Records() {
    }

    static ResultRecord result(TestSettings settings, Outcome outcome, String displayName, boolean passed,
                               BaselineVerdict baseline) {
        EvaluationResult r = outcome.result();
        Map<String, String> thresholds = new LinkedHashMap<>();
        settings.minAdversarialAccuracy.ifPresent(v -> thresholds.put("minAdversarialAccuracy", String.valueOf(v)));
        settings.maxAccuracyDrop.ifPresent(v -> thresholds.put("maxAccuracyDrop", String.valueOf(v)));
        thresholds.put("gateMode", settings.gateMode.name());
        thresholds.put("evaluationHealth", settings.healthMode.name());
        return new ResultRecord(settings.method.getName() + "()", displayName, r.attack().parameters(), outcome.spec().epsilon(), r.size(), outcome.datasetSize(),
                outcome.spec().seed(), r.clean().correct(), r.adversarial().correct(), r.cleanAccuracy(),
                r.adversarialAccuracy(), r.adversarialAccuracyInterval().lower(), r.adversarialAccuracyInterval().upper(),
                r.attackSuccessRate(), r.clean().meanConfidence(), r.adversarial().meanConfidence(),
                r.clean().perClassAccuracy(), r.adversarial().perClassAccuracy(),
                r.adversarial().confusionMatrix().counts(), r.attackSeconds(), r.totalSeconds(),
                passed ? "passed" : "failed", thresholds, baseline, outcome.health().checks());
    }

    static Baseline.Entry baselineEntry(TestSettings settings, Outcome outcome) {
        EvaluationResult r = outcome.result();
        return new Baseline.Entry(settings.testId(), r.attack().parameters(), r.size(), outcome.spec().seed(),
                r.adversarial().correct(), r.adversarialAccuracy(), r.cleanAccuracy(), outcome.modelDigest(),
                outcome.model());
    }

    /** The most confidently fooled examples first, then the first others, up to {@link #EXAMPLES}. */
    static ExampleImages examples(TestSettings settings, Outcome outcome, String displayName) {
        EvaluationResult r = outcome.result();
        Set<Integer> chosen = new LinkedHashSet<>();
        r.worstExamples(EXAMPLES / 2).forEach(m -> chosen.add(m.index()));
        for (int i = 0; i < r.size() && chosen.size() < Math.min(EXAMPLES, r.size()); i++) {
            chosen.add(i);
        }
        List<Integer> rows = new ArrayList<>(chosen);
        int n = rows.size();
        int[] indices = new int[n];
        int[] labels = new int[n];
        int[] cleanPredictions = new int[n];
        float[] cleanConfidence = new float[n];
        int[] adversarialPredictions = new int[n];
        float[] adversarialConfidence = new float[n];
        float[][] clean = new float[n][];
        float[][] adversarial = new float[n][];
        int[] allClean = r.cleanPredictions();
        float[] allCleanConfidence = r.cleanConfidence();
        int[] allAdversarial = r.adversarialPredictions();
        float[] allAdversarialConfidence = r.adversarialConfidence();
        for (int k = 0; k < n; k++) {
            int i = rows.get(k);
            indices[k] = outcome.indices()[i];
            labels[k] = outcome.sample().label(i);
            cleanPredictions[k] = allClean[i];
            cleanConfidence[k] = allCleanConfidence[i];
            adversarialPredictions[k] = allAdversarial[i];
            adversarialConfidence[k] = allAdversarialConfidence[i];
            clean[k] = new float[outcome.sample().featureCount()];
            outcome.sample().copyFeatures(i, 1, clean[k], 0);
            adversarial[k] = r.adversarialExample(i);
        }
        return new ExampleImages(settings.method.getName() + "()", displayName, indices, labels,
                cleanPredictions, cleanConfidence, adversarialPredictions, adversarialConfidence, clean, adversarial,
                new float[] {outcome.sample().range().lower(), outcome.sample().range().upper()});
    }
}
