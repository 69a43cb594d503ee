package io.robustunit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

import io.robustunit.data.LabelledDataset;
import io.robustunit.metrics.EvaluationResult;
import io.robustunit.model.DifferentiableClassifier;

/** Attack results are computed once per class and attack, also under parallel execution. */
class AdversarialTestSharingTest {

    static class SharedTestCase {
        static int modelLoads;

        @ModelUnderTest
        static DifferentiableClassifier model() {
            modelLoads++;
            return LinearFixture.counting();
        }

        @TestData
        static LabelledDataset data = LinearFixture.data();

        @AdversarialTest(epsilon = {0.1, 0.2})
        void first(EvaluationResult result) {
            assertThat(result.cleanAccuracy()).isEqualTo(1.0);
        }

        @AdversarialTest(epsilon = {0.1, 0.2})
        void second(EvaluationResult result) {
            assertThat(result.adversarialAccuracy()).isIn(0.8, 0.6);
        }

        @AdversarialTest(epsilon = 0.1, seed = 9, samples = 10)
        void otherSample(EvaluationResult result) {
            assertThat(result.size()).isEqualTo(10);
        }
    }

    /**
     * FGSM is one gradient pass per batch: ε=0.1 and ε=0.2 once each for both methods, plus the other sample. Each of
     * those three (sample, ε) also measures the health probes once: one pass for the gradients at the clean points,
     * one for FGSM and 20 for each of PGD-20 at ε, 2ε and the full range (Square uses no gradient).
     */
    private static final int ONCE_EACH = 3 + 3 * (1 + 1 + 3 * 20);

    @BeforeEach
    void reset() {
        SharedTestCase.modelLoads = 0;
        LinearFixture.GRADIENT_CALLS.set(0);
    }

    @Test
    void twoMethodsAskingForTheSameAttackShareOneComputation() {
        EngineExecutionResults results = EngineRuns.run(SharedTestCase.class);
        results.testEvents().assertStatistics(stats -> stats.started(5).succeeded(5));
        assertThat(LinearFixture.GRADIENT_CALLS.get()).isEqualTo(ONCE_EACH);
        assertThat(SharedTestCase.modelLoads).isEqualTo(1);
    }

    @Test
    void parallelInvocationsStillComputeEachAttackOnce() {
        EngineExecutionResults results = EngineRuns.run(SharedTestCase.class,
                "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", "concurrent",
                "junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", "4");
        results.testEvents().assertStatistics(stats -> stats.started(5).succeeded(5));
        assertThat(LinearFixture.GRADIENT_CALLS.get()).isEqualTo(ONCE_EACH);
        assertThat(SharedTestCase.modelLoads).isEqualTo(1);
    }
}
