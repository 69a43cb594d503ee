package io.robustunit.junit;

import static io.robustunit.junit.AttackKind.FGSM;
import static io.robustunit.junit.AttackKind.PGD;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

import io.robustunit.data.InputRange;
import io.robustunit.data.LabelledDataset;

/** Configuration layering and misconfiguration, each run through the real engine. */
class AdversarialTestConfigurationTest {

    @AdversarialDefaults(epsilon = {0.2, 0.3}, samples = 10, seed = 5)
    static class LayeringTestCase {
        @ModelUnderTest
        static MultiLayerNetwork model = LinearFixture.network();

        @TestData
        static LabelledDataset data = LinearFixture.data();

        @AdversarialTest(epsilon = 0.1)
        void methodWins(AttackInfo info) {
            assertThat(info.epsilon()).isEqualTo(0.1);
            assertThat(info.samples()).isEqualTo(10);
            assertThat(info.seed()).isEqualTo(5);
        }

        @AdversarialTest
        void classDefaultsApply(AttackInfo info) {
            assertThat(info.epsilon()).isIn(0.2, 0.3);
        }
    }

    @Test
    void annotationThenClassDefaultsThenConfigurationThenBuiltIn() {
        EngineExecutionResults results = EngineRuns.run(LayeringTestCase.class,
                AdversarialTest.EPSILON_PROPERTY, "0.25", AdversarialTest.ATTACK_PROPERTY, "PGD");
        assertThat(EngineRuns.failures(results)).isEmpty();
        assertThat(EngineRuns.displayNames(results)).containsExactlyInAnyOrder("PGD ε=0.1", "PGD ε=0.2", "PGD ε=0.3");
    }

    static class UnconfiguredTestCase {
        @ModelUnderTest
        static MultiLayerNetwork model = LinearFixture.network();

        @TestData
        static LabelledDataset data = LinearFixture.data();

        @AdversarialTest
        void fromConfiguration(AttackInfo info) {
            assertThat(info.samples()).isEqualTo(20);
        }
    }

    @Test
    void configurationParametersFillWhatAnnotationsLeaveOpen() {
        EngineExecutionResults results = EngineRuns.run(UnconfiguredTestCase.class,
                AdversarialTest.EPSILON_PROPERTY, "0.1, 0.3", AdversarialTest.MIN_ADVERSARIAL_ACCURACY_PROPERTY, "0.5");
        assertThat(EngineRuns.displayNames(results)).containsExactly("FGSM ε=0.1", "FGSM ε=0.3");
        results.testEvents().assertStatistics(stats -> stats.succeeded(1).failed(1));
    }

    @Test
    void withoutAnyEpsilonTheTestIsAConfigurationError() {
        assertThat(EngineRuns.failures(EngineRuns.run(UnconfiguredTestCase.class))).singleElement()
                .extracting(Throwable::getMessage).isEqualTo("Configuration error: @AdversarialTest on "
                        + "[UnconfiguredTestCase.fromConfiguration()] must declare epsilon, on the annotation, on "
                        + "@AdversarialDefaults or as configuration parameter robustunit.epsilon");
    }

    static class BadAnnotationsTestCase {
        @ModelUnderTest
        static MultiLayerNetwork model = LinearFixture.network();

        @TestData
        static LabelledDataset data = LinearFixture.data();

        @AdversarialTest(epsilon = -0.1)
        void negativeEpsilon() {
        }

        @AdversarialTest(epsilon = 1.5)
        void epsilonAboveOne() {
        }

        @AdversarialTest(epsilon = 0.1, minAdversarialAccuracy = 80)
        void percentInsteadOfFraction() {
        }

        @AdversarialTest(epsilon = 0.1, samples = -5)
        void negativeSamples() {
        }

        @AdversarialTest(epsilon = 0.1, attack = FGSM)
        @Pgd(steps = 40)
        void pgdSettingsWithoutPgd() {
        }

        @AdversarialTest(epsilon = 0.1, attack = {FGSM, PGD})
        @Pgd(steps = 0)
        void zeroSteps() {
        }

        @AdversarialTest(epsilon = 0.1)
        @Targeted(value = TargetChoice.FIXED_CLASS)
        void fixedTargetWithoutClass() {
        }
    }

    @Test
    void invalidAnnotationValuesNameTheMethodTheAttributeAndTheValue() {
        EngineExecutionResults results = EngineRuns.run(BadAnnotationsTestCase.class);
        assertThat(EngineRuns.failures(results)).extracting(Throwable::getMessage).containsExactlyInAnyOrder(
                "Configuration error: @AdversarialTest on [BadAnnotationsTestCase.negativeEpsilon()] must declare "
                        + "epsilon in (0, 1] but was [-0.1]",
                "Configuration error: @AdversarialTest on [BadAnnotationsTestCase.epsilonAboveOne()] must declare "
                        + "epsilon in (0, 1] but was [1.5]",
                "Configuration error: @AdversarialTest on [BadAnnotationsTestCase.percentInsteadOfFraction()] must "
                        + "declare minAdversarialAccuracy in [0, 1] but was [80.0]",
                "Configuration error: @AdversarialTest on [BadAnnotationsTestCase.negativeSamples()] must declare "
                        + "samples >= 0 but was [-5]",
                "Configuration error: @Pgd on [BadAnnotationsTestCase.pgdSettingsWithoutPgd()] configures PGD but "
                        + "BadAnnotationsTestCase.pgdSettingsWithoutPgd() runs only [FGSM]; add PGD to attack or remove @Pgd",
                "Configuration error: @Pgd on [BadAnnotationsTestCase.zeroSteps()] must declare steps >= 1 but was [0]",
                "Configuration error: @Targeted on [BadAnnotationsTestCase.fixedTargetWithoutClass()] must declare "
                        + "targetClass >= 0 with FIXED_CLASS but was [not set]");
        results.testEvents().assertStatistics(stats -> stats.started(0));
    }

    static class HardeningWithoutTrainingDataTestCase {
        @ModelUnderTest
        static MultiLayerNetwork model = LinearFixture.network();

        @TestData
        static LabelledDataset data = LinearFixture.data();

        @AdversarialTest(epsilon = 0.1, minAdversarialAccuracy = 0.9)
        @HardenOnFailure
        void attack() {
        }

        @AdversarialTest(epsilon = 0.1)
        @HardenOnFailure(alpha = 0.3)
        void badAlpha() {
        }
    }

    @Test
    void hardeningNeedsTrainingDataAndValidSettings() {
        assertThat(EngineRuns.failures(EngineRuns.run(HardeningWithoutTrainingDataTestCase.class)))
                .extracting(Throwable::getMessage).containsExactlyInAnyOrder(
                        "Configuration error: @HardenOnFailure on [HardeningWithoutTrainingDataTestCase.attack()] needs "
                                + "training data: declare it with @TrainingData on a static field or method, or on the "
                                + "class with IDX resources",
                        "Configuration error: @HardenOnFailure on [HardeningWithoutTrainingDataTestCase.badAlpha()] must "
                                + "declare alpha as a multiple of 1/8 in [0, 1] but was [0.3]");
    }

    static class NoModelTestCase {
        @TestData
        static LabelledDataset data = LinearFixture.data();

        @AdversarialTest(epsilon = 0.1)
        void attack() {
        }
    }

    @Test
    void aMissingModelIsAConfigurationError() {
        assertThat(EngineRuns.failures(EngineRuns.run(NoModelTestCase.class))).singleElement()
                .extracting(Throwable::getMessage).isEqualTo("Configuration error: @AdversarialTest on "
                        + "[NoModelTestCase.attack()] has no model: declare one with @ModelUnderTest on a static field "
                        + "or method, or on the class with a resource");
    }

    static class WrongInputSizeTestCase {
        @ModelUnderTest
        static MultiLayerNetwork model = LinearFixture.network();

        @TestData
        static LabelledDataset data = LabelledDataset.of("three features", new float[] {0, 0, 0, 1, 1, 1},
                new int[] {0, 1}, 3, 2, InputRange.UNIT);

        @AdversarialTest(epsilon = 0.1)
        void attack() {
        }
    }

    @Test
    void anInputSizeMismatchNamesBothDeclarations() {
        assertThat(EngineRuns.failures(EngineRuns.run(WrongInputSizeTestCase.class))).singleElement()
                .extracting(Throwable::getMessage).isEqualTo("Configuration error: @ModelUnderTest "
                        + "WrongInputSizeTestCase.model expects 2 features per example but @TestData "
                        + "WrongInputSizeTestCase.data has 3");
    }

    static class TooManyClassesTestCase {
        @ModelUnderTest
        static MultiLayerNetwork model = LinearFixture.network();

        @TestData
        static LabelledDataset data() {
            return LabelledDataset.of("three classes", new float[] {0, 0, 0, 1, 1, 1}, new int[] {0, 1, 2}, 2, 3,
                    InputRange.UNIT);
        }

        @AdversarialTest(epsilon = 0.1)
        void attack() {
        }
    }

    @Test
    void labelsBeyondTheModelsClassesAreRejected() {
        assertThat(EngineRuns.failures(EngineRuns.run(TooManyClassesTestCase.class))).singleElement()
                .extracting(Throwable::getMessage).isEqualTo("Configuration error: @TestData "
                        + "TooManyClassesTestCase.data() has labels in [0, 3) but @ModelUnderTest "
                        + "TooManyClassesTestCase.model predicts only 2 classes");
    }

    static class WideRangeTestCase {
        @ModelUnderTest
        static MultiLayerNetwork model = LinearFixture.network();

        @TestData
        static LabelledDataset data = LabelledDataset.of("narrow", new float[] {0.4f, 0.5f, 0.5f, 0.4f},
                new int[] {1, 0}, 2, 2, InputRange.of(0.25, 0.5));

        @AdversarialTest(epsilon = 0.5)
        void attack() {
        }
    }

    @Test
    void anEpsilonWiderThanTheDataRangeIsRejected() {
        assertThat(EngineRuns.failures(EngineRuns.run(WideRangeTestCase.class))).singleElement()
                .extracting(Throwable::getMessage).isEqualTo("Configuration error: @AdversarialTest on "
                        + "[WideRangeTestCase.attack()] cannot attack @TestData WideRangeTestCase.data: FGSM epsilon "
                        + "must be finite and in (0, 0.25] (the width of the input range [0.25, 0.5]) but was 0.5");
    }
}
