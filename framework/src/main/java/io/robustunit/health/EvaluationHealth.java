package io.robustunit.health;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;
import java.util.Locale;

import org.apiguardian.api.API;

import io.robustunit.data.LabelledDataset;
import io.robustunit.metrics.EvaluationResult;
import io.robustunit.model.DifferentiableClassifier;

/**
 * Whether a robustness evaluation can be trusted: the checks of Carlini et al., "On Evaluating Adversarial
 * Robustness" (2019), and those AutoAttack runs, applied to one {@link EvaluationResult}. Each check compares the
 * evaluated attack with probes on the same examples (FGSM, PGD-20 at ε, 2ε and the full input range, a 100-query
 * Square Attack, the gradients and probabilities at the clean points) and warns where the numbers show a symptom of
 * gradient masking or of a broken attack:
 * <ol>
 *   <li><b>outputs are probabilities</b>: every output is finite, in [0, 1], and each example's sum to 1;</li>
 *   <li><b>outputs are deterministic</b>: two identical calls give the same probabilities;</li>
 *   <li><b>input gradients are not zero</b>: at most 1% of the correctly classified examples have a zero input
 *       gradient of the cross-entropy;</li>
 *   <li><b>iterative attacks beat one step</b>: neither PGD-20 nor an iterative evaluated attack leaves more examples
 *       correct than FGSM;</li>
 *   <li><b>one step is not masked</b>: PGD-20 does not fool twice as many examples as FGSM and 5 points more of the
 *       sample, the sign of the masking that FGSM training causes (Tramèr et al. 2018);</li>
 *   <li><b>accuracy falls as ε grows</b>: PGD-20's accuracy does not rise from ε to 2ε to the full range, and falls
 *       somewhere along it;</li>
 *   <li><b>an unbounded attack reaches 0%</b>: PGD-20 with ε the full input range leaves at most 1% of the sample,
 *       or one example, correct;</li>
 *   <li><b>black box no stronger than white box</b>: the 100-query Square Attack does not leave fewer examples
 *       correct than the best gradient attack, the evaluated one or PGD-20.</li>
 * </ol>
 * Comparisons of two attacks allow {@code max(0.5 pp, 2 examples)} for chance. {@link HealthProbes} computes the
 * probes once per sample, norm and ε, and assesses any number of attacks against them.
 */
@API(status = EXPERIMENTAL, since = "0.2")
public final class EvaluationHealth {

    private final List<HealthCheck> checks;

    /**
     * @param checks the checks, in the order they are listed
     */
    public EvaluationHealth(List<HealthCheck> checks) {
        this.checks = List.copyOf(checks);
    }

    /**
     * Computes the probes on {@code data} and assesses {@code result}; to assess several attacks of the same ε, call
     * {@link HealthProbes#measure} once and {@link HealthProbes#assess} for each.
     *
     * @param model the evaluated classifier
     * @param data the examples the result was computed on, in the same order
     * @param result the evaluation to judge
     * @param seed the seed of the probes' random choices
     * @return the checks
     */
    public static EvaluationHealth check(DifferentiableClassifier model, LabelledDataset data, EvaluationResult result,
                                         long seed) {
        return HealthProbes.measure(model, data, result.attack().norm(), result.attack().epsilon(), seed, 1000)
                .assess(result);
    }

    /** @return every check, in order */
    public List<HealthCheck> checks() {
        return checks;
    }

    /** @return the checks that warn */
    public List<HealthCheck> warnings() {
        return checks.stream().filter(HealthCheck::warns).toList();
    }

    /** @return whether no check warns */
    public boolean isHealthy() {
        return warnings().isEmpty();
    }

    /** @return e.g. {@code healthy (7 passed, 1 not applicable)} or {@code 1 warning: one step is not masked} */
    public String summary() {
        List<HealthCheck> warnings = warnings();
        if (warnings.isEmpty()) {
            long passed = checks.stream().filter(c -> c.status() == HealthCheck.Status.PASSED).count();
            long other = checks.size() - passed;
            return "healthy (" + passed + " passed" + (other > 0 ? ", " + other + " not applicable" : "") + ")";
        }
        return warnings.size() + (warnings.size() == 1 ? " warning: " : " warnings: ")
                + String.join("; ", warnings.stream().map(HealthCheck::name).toList());
    }

    /** @return one aligned line per check, status first, each line starting with {@code indent} */
    public String describe(String indent) {
        int width = checks.stream().mapToInt(c -> c.name().length()).max().orElse(0);
        StringBuilder out = new StringBuilder();
        for (HealthCheck c : checks) {
            String status = switch (c.status()) {
                case PASSED -> "ok  ";
                case WARNING -> "WARN";
                case NOT_APPLICABLE -> "n/a ";
            };
            out.append(indent).append(status).append("  ")
                    .append(String.format(Locale.ROOT, "%-" + width + "s", c.name())).append("  ").append(c.detail())
                    .append('\n');
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return summary();
    }
}
