package io.robustunit.junit;

import static io.robustunit.junit.AttackKind.FGSM;
import static io.robustunit.junit.AttackKind.PGD;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.opentest4j.AssertionFailedError;

import io.robustunit.data.LabelledDataset;

/** Gates, display names and report entries, through the real engine, on {@link LinearFixture}. */
class AdversarialTestGateTest {

    @TestMethodOrder(MethodOrderer.MethodName.class)
    static class ThresholdTestCase {
        @ModelUnderTest
        static MultiLayerNetwork model = LinearFixture.network();

        @TestData
        static LabelledDataset data = LinearFixture.data();

        @AdversarialTest(epsilon = {0.1, 0.2, 0.3}, attack = {FGSM, PGD}, minAdversarialAccuracy = 0.5)
        void atLeastHalf() {
        }

        @AdversarialTest(epsilon = 0.2, maxAccuracyDrop = 0.3)
        void dropAtMostThirty() {
        }
    }

    @Test
    void runsOneInvocationPerAttackAndEpsilonWithReadableNames() {
        EngineExecutionResults results = EngineRuns.run(ThresholdTestCase.class);
        assertThat(EngineRuns.displayNames(results)).containsExactly(
                "FGSM ε=0.1", "FGSM ε=0.2", "FGSM ε=0.3", "PGD ε=0.1", "PGD ε=0.2", "PGD ε=0.3", "FGSM ε=0.2");
        // 80%, 60%, 40% for both attacks against a minimum of 50%; a drop of 40 pp against a maximum of 30
        results.testEvents().assertStatistics(stats -> stats.started(7).succeeded(4).failed(3));
    }

    @Test
    void aMissedMinimumFailsWithEveryNumberNeededToAct() throws Exception {
        List<Throwable> failures = EngineRuns.failures(EngineRuns.run(ThresholdTestCase.class));
        AssertionFailedError fgsm = (AssertionFailedError) failures.get(0);

        assertThat(fgsm.getMessage()).isEqualTo("""
                FGSM ε=0.3 on ThresholdTestCase.atLeastHalf(): adversarial accuracy 40.00%% is below the minimum 50.00%%

                  attack                    FGSM, untargeted
                  norm                      L∞
                  ε                         0.3
                  samples                   20 of 20
                  seed                      42
                  model                     @ModelUnderTest ThresholdTestCase.model (parameters sha256 %s)
                  data                      linear fixture
                  clean accuracy            100.00%%
                  adversarial accuracy      40.00%%  95%% Wilson CI [21.88%%, 61.34%%]
                  accuracy drop             60.00 pp
                  attack success rate       60.00%%
                  min adversarial accuracy  50.00%%  MISSED (gated on the point estimate)

                  worst examples (index, true → predicted, confidence)
                    #0  0 → 1  99.59%%
                    #1  1 → 0  99.59%%
                    #2  0 → 1  98.90%%
                    #3  1 → 0  98.90%%
                    #4  0 → 1  97.07%%

                  evaluation health: healthy (8 passed) (evaluationHealth = WARN)
                    ok    outputs are probabilities             every output in [0, 1], each example's sum 1
                    ok    outputs are deterministic             two identical calls agree
                    ok    input gradients are not zero          0 of 20 correctly classified examples (0.0%%) have a zero cross-entropy gradient
                    ok    iterative attacks beat one step       FGSM leaves 40.0%%, PGD-20 40.0%%
                    ok    one step is not masked                PGD-20 fools 60.0%% of the sample, FGSM 60.0%%
                    ok    accuracy falls as ε grows             PGD-20: 40.0%% at ε=0.3, 0.0%% at ε=0.6, 0.0%% at ε=1
                    ok    an unbounded attack reaches 0%%        PGD-20 at ε=1 (the whole input range) leaves 0.0%%
                    ok    black box no stronger than white box  Square (100 queries) leaves 40.0%%, the best gradient attack (FGSM) 40.0%%
                """.formatted(fixtureDigest()));
        assertThat(fgsm.getExpected().getStringRepresentation()).isEqualTo(">= 50.00%");
        assertThat(fgsm.getActual().getStringRepresentation()).isEqualTo("40.00%");
        assertThat(failures.get(1).getMessage())
                .startsWith("PGD ε=0.3 on ThresholdTestCase.atLeastHalf(): adversarial accuracy 40.00% is below")
                .contains("  attack                    PGD, untargeted, 20 steps of 0.0375, no random start\n");
    }

    @Test
    void aMissedMaximumDropNamesTheDrop() {
        List<Throwable> failures = EngineRuns.failures(EngineRuns.run(ThresholdTestCase.class));
        AssertionFailedError drop = (AssertionFailedError) failures.get(2);
        assertThat(drop.getMessage())
                .startsWith("FGSM ε=0.2 on ThresholdTestCase.dropAtMostThirty(): accuracy drop 40.00 pp exceeds the maximum 30.00 pp\n")
                .contains("  max accuracy drop     30.00 pp  MISSED (gated on the point estimate)\n");
        assertThat(drop.getExpected().getStringRepresentation()).isEqualTo("<= 30.00 pp");
        assertThat(drop.getActual().getStringRepresentation()).isEqualTo("40.00 pp");
    }

    @Test
    void everyInvocationPublishesItsNumbersAndMargin() {
        List<Map<String, String>> all = EngineRuns.reportEntries(EngineRuns.run(ThresholdTestCase.class));
        List<Map<String, String>> entries = all.stream().filter(e -> e.containsKey("robustunit.attack")).toList();
        assertThat(entries).hasSize(7);
        assertThat(all).filteredOn(e -> e.containsKey("robustunit.baseline")).hasSize(4)
                .allSatisfy(e -> assertThat(e.get("robustunit.baseline")).startsWith("no baseline ("));
        assertThat(entries.get(0)).containsEntry("robustunit.attack", "FGSM ε=0.1")
                .containsEntry("cleanAccuracy", "1.0000")
                .containsEntry("adversarialAccuracy", "0.8000")
                .containsEntry("adversarialAccuracy95", "[58.40%, 91.93%]")
                .containsEntry("accuracyDrop", "0.2000")
                .containsEntry("samples", "20")
                .containsEntry("seed", "42")
                .containsEntry("minAdversarialAccuracy", "0.5000 (margin 0.3000)");
        assertThat(entries.get(6)).containsEntry("maxAccuracyDrop", "0.3000 (margin -0.1000)");
    }

    @TestMethodOrder(MethodOrderer.MethodName.class)
    static class BoundsTestCase {
        @ModelUnderTest
        static MultiLayerNetwork model = LinearFixture.network();

        @TestData
        static LabelledDataset data = LinearFixture.data();

        // 80% measured on 20 examples: 95% interval [58.40%, 91.93%]
        @AdversarialTest(epsilon = 0.1, minAdversarialAccuracy = 0.7)
        void pointEstimate() {
        }

        @AdversarialTest(epsilon = 0.1, minAdversarialAccuracy = 0.7, gateMode = GateMode.WILSON_LOWER_BOUND)
        void lowerBound() {
        }

        @AdversarialTest(epsilon = 0.1, minAdversarialAccuracy = 0.9, gateMode = GateMode.WILSON_UPPER_BOUND)
        void upperBound() {
        }

        @AdversarialTest(epsilon = 0.1, minAdversarialAccuracy = 0.95, gateMode = GateMode.WILSON_UPPER_BOUND)
        void upperBoundMissed() {
        }
    }

    @Test
    void intervalGatesUseTheWilsonBounds() {
        EngineExecutionResults results = EngineRuns.run(BoundsTestCase.class);
        results.testEvents().assertStatistics(stats -> stats.started(4).succeeded(2).failed(2));
        List<Throwable> failures = EngineRuns.failures(results);
        assertThat(failures).extracting(Throwable::getMessage).anySatisfy(m -> assertThat(m)
                .startsWith("FGSM ε=0.1 on BoundsTestCase.lowerBound(): the lower 95% bound of the adversarial accuracy "
                        + "58.40% is below the minimum 70.00%"))
                .anySatisfy(m -> assertThat(m)
                .startsWith("FGSM ε=0.1 on BoundsTestCase.upperBoundMissed(): the upper 95% bound of the adversarial "
                        + "accuracy 91.93% is below the minimum 95.00%")
                .contains("MISSED (gated on the upper 95% bound)"));
    }

    /** SHA-256 of the fixture's parameters (5, −5, −5, 5, 0, 0) as float32 little-endian, computed here. */
    private static String fixtureDigest() throws Exception {
        ByteBuffer bytes = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : new float[] {5, -5, -5, 5, 0, 0}) {
            bytes.putFloat(v);
        }
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
    }
}
