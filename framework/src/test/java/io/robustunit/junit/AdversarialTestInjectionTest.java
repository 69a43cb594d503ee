package io.robustunit.junit;

import static io.robustunit.assertions.RobustnessAssertions.assertThat;
import static io.robustunit.junit.AttackKind.FGSM;
import static io.robustunit.junit.AttackKind.PGD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

import io.robustunit.attack.ProjectedGradientDescent;
import io.robustunit.data.LabelledDataset;
import io.robustunit.metrics.EvaluationResult;

/** What a test method receives, and composed annotations. */
class AdversarialTestInjectionTest {

    static class InjectionTestCase {
        @ModelUnderTest
        static MultiLayerNetwork model() {
            return LinearFixture.network();
        }

        @TestData
        static LabelledDataset data() {
            return LinearFixture.data();
        }

        @AdversarialTest(epsilon = 0.1)
        void receivesTheBatch(AdversarialBatch batch) {
            assertThat(batch.size()).isEqualTo(20);
            assertThat(batch.epsilon()).isEqualTo(0.1);
            assertThat(batch.attack().name()).isEqualTo("FGSM");
            for (int i = 0; i < batch.size(); i++) {
                float[] clean = batch.cleanInput(i);
                float[] adversarial = batch.adversarialInput(i);
                // class 0 examples move by (−ε, +ε), class 1 examples by (+ε, −ε)
                float direction = batch.label(i) == 0 ? -1 : 1;
                assertThat(adversarial[0] - clean[0]).isCloseTo(0.1f * direction, within(1e-6f));
                assertThat(adversarial[1] - clean[1]).isCloseTo(-0.1f * direction, within(1e-6f));
            }
            int fooled = 0;
            for (int i = 0; i < batch.size(); i++) {
                fooled += batch.adversarialPredictions()[i] != batch.label(i) ? 1 : 0;
            }
            assertThat(fooled).isEqualTo(4);
        }

        @AdversarialTest(epsilon = 0.2)
        void receivesTheResultAndAssertsOnIt(EvaluationResult result) {
            assertThat(result).hasCleanAccuracyAtLeast(1.0).hasAdversarialAccuracyAtLeast(0.6).hasAccuracyDropAtMost(0.4);
        }

        @AdversarialTest(epsilon = 0.3, attack = PGD, samples = 10, seed = 7)
        @Pgd(steps = 5, randomStart = true)
        void receivesTheAttackInfo(AttackInfo info, AdversarialBatch batch) {
            assertThat(info.attack().name()).isEqualTo("PGD");
            assertThat(info.samples()).isEqualTo(10);
            assertThat(info.datasetSize()).isEqualTo(20);
            assertThat(info.seed()).isEqualTo(7);
            assertThat(info.displayName()).isEqualTo("PGD ε=0.3");
            ProjectedGradientDescent pgd = (ProjectedGradientDescent) info.attack();
            assertThat(pgd.steps()).isEqualTo(5);
            assertThat(pgd.stepSize()).isCloseTo(0.15, within(1e-12));
            assertThat(pgd.randomStart()).isTrue();
            assertThat(pgd.seed()).isEqualTo(7);
            assertThat(batch.cleanData().classCounts()).containsExactly(5, 5);
        }

        @AdversarialTest(epsilon = 0.1)
        @Targeted(TargetChoice.NEXT_CLASS)
        void targetedAttacksAreNamed(AttackInfo info) {
            assertThat(info.attack().parameters()).containsEntry("targeted", "next class");
        }
    }

    @Test
    void injectsBatchResultAndAttackInfo() {
        EngineExecutionResults results = EngineRuns.run(InjectionTestCase.class);
        assertThat(EngineRuns.failures(results)).isEmpty();
        results.testEvents().assertStatistics(stats -> stats.started(4).succeeded(4));
        assertThat(EngineRuns.displayNames(results)).contains("FGSM ε=0.1 (targeted: next class)");
    }

    /** A team's own annotation, composed from RobustUnit's. */
    @Retention(RetentionPolicy.RUNTIME)
    @java.lang.annotation.Target(ElementType.METHOD)
    @AdversarialTest(epsilon = {0.1, 0.2}, attack = {FGSM, PGD}, minAdversarialAccuracy = 0.55)
    @interface LinearFgsmTest {
    }

    static class ComposedTestCase {
        @ModelUnderTest
        static MultiLayerNetwork model = LinearFixture.network();

        @TestData
        static LabelledDataset data = LinearFixture.data();

        @LinearFgsmTest
        void composed(AttackInfo info) {
            assertThat(info.epsilon()).isIn(0.1, 0.2);
        }
    }

    @Test
    void worksAsAMetaAnnotation() {
        EngineExecutionResults results = EngineRuns.run(ComposedTestCase.class);
        assertThat(EngineRuns.displayNames(results)).containsExactly("FGSM ε=0.1", "FGSM ε=0.2", "PGD ε=0.1", "PGD ε=0.2");
        results.testEvents().assertStatistics(stats -> stats.started(4).succeeded(4));
    }
}
