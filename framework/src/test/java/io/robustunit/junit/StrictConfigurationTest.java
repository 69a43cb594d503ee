package io.robustunit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;

import io.robustunit.data.LabelledDataset;

/**
 * A gate never passes because a setting was mistyped: values that look like "not set" are rejected, and so is
 * every invalid configuration parameter and every unknown {@code robustunit.*} key.
 */
class StrictConfigurationTest {

    static class SentinelLookalikesTestCase {
        @ModelUnderTest
        static MultiLayerNetwork model = LinearFixture.network();

        @TestData
        static LabelledDataset data = LinearFixture.data();

        @AdversarialTest(epsilon = 0.1, minAdversarialAccuracy = -1)
        void minimumOfMinusOne() {
        }

        @AdversarialTest(epsilon = 0.1, maxAccuracyDrop = -1)
        void maximumDropOfMinusOne() {
        }

        @AdversarialTest(epsilon = 0.1, samples = -1)
        void samplesOfMinusOne() {
        }

        @AdversarialTest(epsilon = 0.1, batchSize = -1)
        void batchSizeOfMinusOne() {
        }

        @AdversarialTest(epsilon = 0.1, attack = AttackKind.PGD)
        @Pgd(stepSize = -1)
        void stepSizeOfMinusOne() {
        }

        @AdversarialTest(epsilon = 0.1, minAdversarialAccuracy = Double.POSITIVE_INFINITY)
        void infiniteMinimum() {
        }
    }

    @Test
    void valuesThatUsedToMeanNotSetAreRejected() {
        EngineExecutionResults results = EngineRuns.run(SentinelLookalikesTestCase.class);
        assertThat(EngineRuns.failures(results)).extracting(Throwable::getMessage).containsExactlyInAnyOrder(
                "Configuration error: @AdversarialTest on [SentinelLookalikesTestCase.minimumOfMinusOne()] must "
                        + "declare minAdversarialAccuracy in [0, 1] but was [-1.0]",
                "Configuration error: @AdversarialTest on [SentinelLookalikesTestCase.maximumDropOfMinusOne()] must "
                        + "declare maxAccuracyDrop in [0, 1] but was [-1.0]",
                "Configuration error: @AdversarialTest on [SentinelLookalikesTestCase.samplesOfMinusOne()] must "
                        + "declare samples >= 0 but was [-1]",
                "Configuration error: @AdversarialTest on [SentinelLookalikesTestCase.batchSizeOfMinusOne()] must "
                        + "declare batchSize >= 1 but was [-1]",
                "Configuration error: @Pgd on [SentinelLookalikesTestCase.stepSizeOfMinusOne()] must declare "
                        + "stepSize > 0 but was [-1.0]",
                "Configuration error: @AdversarialTest on [SentinelLookalikesTestCase.infiniteMinimum()] must "
                        + "declare minAdversarialAccuracy in [0, 1] but was [Infinity]");
        results.testEvents().assertStatistics(stats -> stats.started(0));
    }

    static class GatedTestCase {
        @ModelUnderTest
        static MultiLayerNetwork model = LinearFixture.network();

        @TestData
        static LabelledDataset data = LinearFixture.data();

        @AdversarialTest(epsilon = 0.3)
        void gatedByConfiguration() {
        }
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "robustunit.minAdversarialAccuracy | 1.5    | a number in [0, 1]",
        "robustunit.minAdversarialAccuracy | '0,99' | a number in [0, 1]",
        "robustunit.minAdversarialAccuracy | NaN    | a number in [0, 1]",
        "robustunit.maxAccuracyDrop        | ''     | a number in [0, 1]",
        "robustunit.samples                | many   | an integer >= 0",
        "robustunit.batchSize              | 0      | an integer >= 1",
        "robustunit.seed                   | 4.2    | an integer (a Java long)",
        "robustunit.gateMode               | WILSON | one of POINT_ESTIMATE, WILSON_LOWER_BOUND, WILSON_UPPER_BOUND",
        "robustunit.gateMode               | DEFAULT | one of POINT_ESTIMATE, WILSON_LOWER_BOUND, WILSON_UPPER_BOUND",
        "robustunit.attack                 | DEEPFOOL | a comma-separated list of FGSM, PGD, APGD_CE, APGD_DLR, APGD_T, SQUARE, AUTO, each once",
        "robustunit.evaluationHealth       | LOUD   | one of WARN, FAIL",
        "robustunit.evaluationHealth       | DEFAULT | one of WARN, FAIL",
        "robustunit.norm                   | L1     | LINF or L2",
        "robustunit.epsilon                | 0.1,x  | a comma-separated list of numbers in (0, 1], each once",
        "robustunit.name                   | '{attack} at {eps}' | text with only the placeholders {attack}, {epsilon}, {norm}, {target}, {details}, {samples}, {seed}, {index}",
        "robustunit.baseline.update        | yes    | true or false",
        "robustunit.baseline.required      | 1      | true or false",
        "robustunit.baseline.tolerance     | 2      | a number in [0, 1]",
        "robustunit.baseline.mode          | LENIENT | one of POINT_ESTIMATE, WILSON",
    })
    void anInvalidConfigurationParameterIsAnErrorNamingTheKeyTheValueAndTheRule(String key, String value,
                                                                                 String rule) {
        EngineExecutionResults results = EngineRuns.run(GatedTestCase.class, key, value);
        assertThat(EngineRuns.failures(results)).singleElement().extracting(Throwable::getMessage).isEqualTo(
                "Configuration error: configuration parameter " + key + " must be " + rule + " but was [" + value
                        + "]");
        results.testEvents().assertStatistics(stats -> stats.started(0));
    }

    @Test
    void aValidParameterGates() {
        EngineRuns.run(GatedTestCase.class, AdversarialTest.MIN_ADVERSARIAL_ACCURACY_PROPERTY, "0.5").testEvents()
                .assertStatistics(stats -> stats.started(1).failed(1));
    }

    @Test
    void anUnknownRobustUnitKeyIsAnErrorListingTheKnownOnes() {
        System.setProperty("robustunit.minAdversarialAcuracy", "0.9");
        try {
            EngineExecutionResults results = EngineRuns.run(GatedTestCase.class);
            assertThat(EngineRuns.failures(results)).singleElement().extracting(Throwable::getMessage).asString()
                    .startsWith("Configuration error: unknown configuration parameter robustunit.minAdversarialAcuracy; "
                            + "RobustUnit's parameters are [robustunit.attack, robustunit.baseline.file, ")
                    .contains("robustunit.minAdversarialAccuracy");
        } finally {
            System.clearProperty("robustunit.minAdversarialAcuracy");
        }
    }
}
