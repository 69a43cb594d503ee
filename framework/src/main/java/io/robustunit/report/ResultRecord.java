package io.robustunit.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.List;
import java.util.Map;

import org.apiguardian.api.API;

import io.robustunit.health.HealthCheck;

/**
 * One {@code @AdversarialTest} invocation as the reports record it.
 *
 * @param test the test method, {@code method()} of the class the report belongs to
 * @param displayName the invocation's name, e.g. {@code FGSM ε=0.05}
 * @param attack every attack parameter, by name, including ε
 * @param epsilon the perturbation budget
 * @param samples how many examples were attacked
 * @param datasetSize how many examples the declared data holds
 * @param seed the seed of the sample and of any random start
 * @param correctClean examples classified correctly before the attack
 * @param correctAdversarial examples classified correctly after it
 * @param cleanAccuracy clean accuracy
 * @param adversarialAccuracy adversarial accuracy
 * @param adversarialLower the lower bound of its 95% Wilson interval
 * @param adversarialUpper the upper bound of its 95% Wilson interval
 * @param attackSuccessRate among examples correct before the attack, the share it fooled; NaN if none
 * @param meanCleanConfidence the mean probability of the clean predictions
 * @param meanAdversarialConfidence the mean probability of the adversarial predictions
 * @param perClassClean clean accuracy per class; NaN where a class has no example
 * @param perClassAdversarial adversarial accuracy per class
 * @param confusion adversarial predictions, {@code [true][predicted]}
 * @param attackSeconds time spent attacking
 * @param totalSeconds time for the whole evaluation
 * @param status {@code passed} or {@code failed}
 * @param thresholds the gate's thresholds and mode, as text
 * @param baseline what the baseline comparison made of it
 * @param health the evaluation-health checks, in order
 */
@API(status = INTERNAL, since = "0.1")
public record ResultRecord(String test, String displayName, Map<String, String> attack, double epsilon, int samples,
                           int datasetSize, long seed, int correctClean, int correctAdversarial, double cleanAccuracy,
                           double adversarialAccuracy, double adversarialLower, double adversarialUpper,
                           double attackSuccessRate, double meanCleanConfidence, double meanAdversarialConfidence,
                           double[] perClassClean, double[] perClassAdversarial, long[][] confusion,
                           double attackSeconds, double totalSeconds, String status, Map<String, String> thresholds,
                           BaselineVerdict baseline, List<HealthCheck> health) {

    /** @return the accuracy drop, clean minus adversarial */
    public double accuracyDrop() {
        return cleanAccuracy - adversarialAccuracy;
    }
}
