package io.robustunit.junit;

import static io.robustunit.junit.AttackKind.FGSM;
import static io.robustunit.junit.AttackKind.PGD;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.opentest4j.AssertionFailedError;

import io.robustunit.data.LabelledDataset;
import io.robustunit.health.EvaluationHealth;
import io.robustunit.health.HealthCheck;
import io.robustunit.model.DifferentiableClassifier;
import io.robustunit.model.dl4j.Dl4jClassifiers;

/**
 * The evaluation-health checks through the real engine, on a model that masks its gradients the way input
 * quantization does: it rounds every feature to a multiple of 0.01 before the four-class fixture's network, so its
 * input gradient is zero everywhere. By hand: FGSM and PGD cannot move any example at any ε (100% stay correct), while
 * a black box that only queries probabilities can, and fools the 8 examples with margin below 2ε = 0.2 at ε = 0.1.
 */
class EvaluationHealthTest {

    /** The four-class fixture behind a rounding of its input, whose derivative is zero. */
    static final class Quantized implements DifferentiableClassifier {
        private final DifferentiableClassifier inner = Dl4jClassifiers.of(FourClassFixture.network());

        @Override
        public int inputSize() {
            return inner.inputSize();
        }

        @Override
        public int numClasses() {
            return inner.numClasses();
        }

        @Override
        public void probabilities(float[] inputs, int from, int count, float[] probabilities) {
            float[] rounded = inputs.clone();
            for (int i = from * inputSize(); i < (from + count) * inputSize(); i++) {
                rounded[i] = Math.round(inputs[i] * 100) / 100f;
            }
            inner.probabilities(rounded, from, count, probabilities);
        }

        @Override
        public void lossGradient(float[] inputs, int[] labels, int from, int count, float[] gradient) {
            Arrays.fill(gradient, from * inputSize(), (from + count) * inputSize(), 0f);
        }

        @Override
        public boolean isThreadSafe() {
            return true;
        }

        @Override
        public String description() {
            return "quantized four-class fixture";
        }
    }

    static class MaskedTestCase {
        @ModelUnderTest
        static DifferentiableClassifier model = new Quantized();

        @TestData
        static LabelledDataset data = FourClassFixture.data();

        @AdversarialTest(epsilon = 0.1, attack = {FGSM, PGD}, minAdversarialAccuracy = 0.9)
        void masked(io.robustunit.metrics.EvaluationResult result, EvaluationHealth health) {
            assertThat(result.adversarialAccuracy()).isEqualTo(1.0);
            assertThat(health.warnings()).hasSize(4);
        }
    }

    private static final List<String> MASKED = List.of(
            "ok    outputs are probabilities             every output in [0, 1], each example's sum 1",
            "ok    outputs are deterministic             two identical calls agree",
            "WARN  input gradients are not zero          40 of 40 correctly classified examples (100.0%) have a zero "
                    + "cross-entropy gradient: gradient attacks cannot move them, so their robustness is unmeasured",
            "ok    iterative attacks beat one step       FGSM leaves 100.0%, PGD-20 100.0%",
            "ok    one step is not masked                PGD-20 fools 0.0% of the sample, FGSM 0.0%",
            "WARN  accuracy falls as ε grows             PGD-20: 100.0% at ε=0.1, 100.0% at ε=0.2, 100.0% at ε=1: a "
                    + "larger ε fools no more examples, so the attack does not use its budget",
            "WARN  an unbounded attack reaches 0%        PGD-20 at ε=1 (the whole input range) leaves 100.0%: an "
                    + "attack that may change every feature arbitrarily must fool every example, so the gradients "
                    + "lead nowhere (masking) or the model ignores its input",
            "WARN  black box no stronger than white box  Square (100 queries) leaves 80.0%, the best gradient attack "
                    + "(FGSM) 100.0%: a black box that sees only probabilities finds what the gradients miss, so they "
                    + "are masked");

    @Test
    void byDefaultTheChecksWarnInTheReportAndTheTestPasses() {
        EngineExecutionResults results = EngineRuns.run(MaskedTestCase.class);
        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));
        assertThat(EngineRuns.reportEntries(results)).filteredOn(e -> e.containsKey("evaluationHealth"))
                .extracting(e -> e.get("evaluationHealth")).containsOnly("4 warnings: input gradients are not zero; "
                        + "accuracy falls as ε grows; an unbounded attack reaches 0%; black box no stronger than white "
                        + "box");
    }

    @Test
    void theConfigurationParameterTurnsWarningsIntoFailures() {
        EngineExecutionResults results = EngineRuns.run(MaskedTestCase.class,
                AdversarialTest.EVALUATION_HEALTH_PROPERTY, "fail");
        results.testEvents().assertStatistics(stats -> stats.started(2).failed(2));
        AssertionFailedError fgsm = (AssertionFailedError) EngineRuns.failures(results).get(0);
        assertThat(fgsm.getMessage()).startsWith("FGSM ε=0.1 on MaskedTestCase.masked(): evaluation health 4 warnings: "
                + "input gradients are not zero; accuracy falls as ε grows; an unbounded attack reaches 0%; black box "
                + "no stronger than white box, and evaluationHealth is FAIL\n")
                .contains("  min adversarial accuracy  90.00%  met (gated on the point estimate)\n")
                .contains("  evaluation health: 4 warnings: input gradients are not zero; accuracy falls as ε grows; "
                        + "an unbounded attack reaches 0%; black box no stronger than white box (evaluationHealth = "
                        + "FAIL)\n" + String.join("\n", MASKED.stream().map(l -> "    " + l).toList()) + "\n");
        assertThat(fgsm.getExpected().getStringRepresentation()).isEqualTo("no evaluation-health warning");
    }

    @AdversarialDefaults(evaluationHealth = HealthMode.FAIL)
    static class StrictClassTestCase {
        @ModelUnderTest
        static DifferentiableClassifier model = new Quantized();

        @TestData
        static LabelledDataset data = FourClassFixture.data();

        @AdversarialTest(epsilon = 0.1)
        void strictByClass() {
        }

        @AdversarialTest(epsilon = 0.1, evaluationHealth = HealthMode.WARN)
        void lenientOnTheMethod() {
        }
    }

    @Test
    void theAnnotationsAreLayeredAboveTheConfigurationParameter() {
        EngineExecutionResults results = EngineRuns.run(StrictClassTestCase.class,
                AdversarialTest.EVALUATION_HEALTH_PROPERTY, "WARN");
        results.testEvents().assertStatistics(stats -> stats.started(2).failed(1).succeeded(1));
        assertThat(results.testEvents().failed().stream().map(e -> e.getTestDescriptor().getUniqueId().toString()))
                .singleElement().asString().contains("strictByClass");
    }

    static class HealthyTestCase {
        @ModelUnderTest
        static MultiLayerNetwork model = FourClassFixture.network();

        @TestData
        static LabelledDataset data = FourClassFixture.data();

        @AdversarialTest(epsilon = {0.1, 0.2}, attack = {FGSM, PGD}, evaluationHealth = HealthMode.FAIL)
        void healthy(io.robustunit.metrics.EvaluationResult result) {
        }
    }

    @Test
    void aSoundEvaluationPassesEvenWhenWarningsFail() {
        EngineExecutionResults results = EngineRuns.run(HealthyTestCase.class);
        results.testEvents().assertStatistics(stats -> stats.started(4).succeeded(4));
        assertThat(EngineRuns.reportEntries(results)).filteredOn(e -> e.containsKey("evaluationHealth"))
                .extracting(e -> e.get("evaluationHealth")).containsOnly("healthy (8 passed)");
    }

    @Test
    void theChecksAreAvailableOutsideTheEngine() {
        DifferentiableClassifier model = new Quantized();
        LabelledDataset data = FourClassFixture.data();
        EvaluationHealth health = EvaluationHealth.check(model, data,
                io.robustunit.metrics.RobustnessEvaluator.of(model).evaluate(data, io.robustunit.attack.Attacks.fgsm(0.1)),
                42);
        assertThat(health.checks()).extracting(HealthCheck::status).containsExactly(HealthCheck.Status.PASSED,
                HealthCheck.Status.PASSED, HealthCheck.Status.WARNING, HealthCheck.Status.PASSED,
                HealthCheck.Status.PASSED, HealthCheck.Status.WARNING, HealthCheck.Status.WARNING,
                HealthCheck.Status.WARNING);
        assertThat(health.describe("").lines().toList()).isEqualTo(MASKED);
        assertThat(Map.of("healthy", health.isHealthy())).containsEntry("healthy", false);
    }
}
