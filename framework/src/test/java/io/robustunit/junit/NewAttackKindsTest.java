package io.robustunit.junit;

import static io.robustunit.junit.AttackKind.APGD_CE;
import static io.robustunit.junit.AttackKind.APGD_DLR;
import static io.robustunit.junit.AttackKind.APGD_T;
import static io.robustunit.junit.AttackKind.AUTO;
import static io.robustunit.junit.AttackKind.FGSM;
import static io.robustunit.junit.AttackKind.SQUARE;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.robustunit.data.LabelledDataset;
import io.robustunit.metrics.EvaluationResult;
import io.robustunit.report.Baseline;
import io.robustunit.report.HtmlSummary;

/** APGD, Square and AUTO through the real engine: names, numbers, parameters, reports, baselines and errors. */
class NewAttackKindsTest {

    static class EveryKindTestCase {
        @ModelUnderTest
        static MultiLayerNetwork model = FourClassFixture.network();

        @TestData
        static LabelledDataset data = FourClassFixture.data();

        @AdversarialTest(epsilon = {0.1, 0.2}, attack = {APGD_CE, APGD_DLR, APGD_T, SQUARE, AUTO})
        void strongAttacks(EvaluationResult result, AttackInfo info) {
            // by hand (FourClassFixture): 80% at ε=0.1, 60% at 0.2, for every attack that finds the worst case
            assertThat(result.adversarialAccuracy()).isEqualTo(info.epsilon() == 0.1 ? 0.8 : 0.6);
            assertThat(info.parameters()).containsEntry("seed", "42").containsEntry("samples", "40");
        }
    }

    @Test
    void everyKindRunsWithReadableNamesAndFindsTheWorstCase() {
        EngineExecutionResults results = EngineRuns.run(EveryKindTestCase.class);
        assertThat(EngineRuns.displayNames(results)).containsExactly("APGD-CE ε=0.1", "APGD-CE ε=0.2",
                "APGD-DLR ε=0.1", "APGD-DLR ε=0.2", "APGD-T ε=0.1", "APGD-T ε=0.2", "Square ε=0.1", "Square ε=0.2",
                "AUTO ε=0.1", "AUTO ε=0.2");
        results.testEvents().assertStatistics(stats -> stats.started(10).succeeded(10));
    }

    static class AutoGateTestCase {
        @ModelUnderTest
        static MultiLayerNetwork model = FourClassFixture.network();

        @TestData
        static LabelledDataset data = FourClassFixture.data();

        @AdversarialTest(epsilon = 0.3, attack = AUTO, minAdversarialAccuracy = 0.5)
        void auto() {
        }
    }

    @Test
    void aFailedAutoGateDescribesTheEnsemble() {
        List<Throwable> failures = EngineRuns.failures(EngineRuns.run(AutoGateTestCase.class));
        assertThat(failures).singleElement().extracting(Throwable::getMessage).asString()
                .startsWith("AUTO ε=0.3 on AutoGateTestCase.auto(): adversarial accuracy 40.00% is below the minimum "
                        + "50.00%")
                .contains("  attack                    AUTO: APGD-CE → APGD-T → Square, 100 iterations, targets: top 9 "
                        + "classes, 5000 queries, seed 42\n")
                .contains("  evaluation health: healthy (8 passed) (evaluationHealth = WARN)\n");
    }

    static class AutoBaselineTestCase {
        @ModelUnderTest
        static MultiLayerNetwork model = FourClassFixture.network();

        @TestData
        static LabelledDataset data = FourClassFixture.data();

        @AdversarialTest(epsilon = 0.3, attack = AUTO, minAdversarialAccuracy = 0.4)
        void auto() {
        }
    }

    @Test
    void reportsAndBaselinesCarryEveryParameterOfTheEnsemble(@TempDir Path dir) throws Exception {
        EngineRuns.runWithReports(AutoBaselineTestCase.class, dir, AdversarialTest.BASELINE_UPDATE_PROPERTY, "true")
                .testEvents().assertStatistics(stats -> stats.succeeded(1));

        JsonNode result = new ObjectMapper().readTree(dir.resolve("reports")
                .resolve(AutoBaselineTestCase.class.getName() + ".json").toFile()).path("results").get(0);
        Map<String, String> expected = Map.ofEntries(Map.entry("attack", "AUTO"), Map.entry("norm", "L∞"),
                Map.entry("epsilon", "0.3"), Map.entry("stages", "APGD-CE → APGD-T → Square"),
                Map.entry("iterations", "100"), Map.entry("restarts", "1"), Map.entry("rho", "0.75"),
                Map.entry("momentum", "0.75"), Map.entry("targetClasses", "9"), Map.entry("queries", "5000"),
                Map.entry("pInit", "0.8"), Map.entry("seed", "42"), Map.entry("targeted", "no"),
                Map.entry("range", "[0.0, 1.0]"));
        assertThat(new ObjectMapper().convertValue(result.path("attack"), Map.class)).isEqualTo(expected);
        assertThat(result.path("evaluationHealth")).hasSize(8);
        assertThat(result.path("evaluationHealth").get(4).path("check").asText()).isEqualTo("one step is not masked");
        assertThat(result.path("thresholds").path("evaluationHealth").asText()).isEqualTo("WARN");

        Baseline.Entry entry = Baseline.read(dir.resolve("baseline.json")).orElseThrow().entries().iterator().next();
        assertThat(entry.attack()).isEqualTo(expected);
        assertThat(entry.correct()).isEqualTo(16);
        assertThat(Files.readString(dir.resolve("reports").resolve(HtmlSummary.FILE_NAME)))
                .contains("<th>evaluation health</th>", "<td>one step is not masked</td>");

        EngineExecutionResults again = EngineRuns.runWithReports(AutoBaselineTestCase.class, dir);
        assertThat(EngineRuns.reportEntries(again)).anySatisfy(e -> assertThat(e.get("robustunit.baseline"))
                .startsWith("within tolerance: 40.00% -> 40.00%"));
    }

    static class TargetedAutoTestCase {
        @ModelUnderTest
        static MultiLayerNetwork model = FourClassFixture.network();

        @TestData
        static LabelledDataset data = FourClassFixture.data();

        @AdversarialTest(epsilon = 0.1, attack = {FGSM, AUTO})
        @Targeted(TargetChoice.NEXT_CLASS)
        void targeted() {
        }
    }

    @Test
    void targetedSettingsForAnAttackThatPicksItsOwnTargetsAreAnError() {
        assertThat(EngineRuns.failures(EngineRuns.run(TargetedAutoTestCase.class))).singleElement()
                .extracting(Throwable::getMessage).isEqualTo("Configuration error: @Targeted on "
                        + "[TargetedAutoTestCase.targeted()] sets the target of FGSM and PGD but "
                        + "TargetedAutoTestCase.targeted() also runs [AUTO], which pick their own targets (APGD_T, "
                        + "AUTO) or none; declare them in a test without @Targeted");
    }

    static class TwoClassDlrTestCase {
        @ModelUnderTest
        static MultiLayerNetwork model = LinearFixture.network();

        @TestData
        static LabelledDataset data = LinearFixture.data();

        @AdversarialTest(epsilon = 0.1, attack = APGD_DLR)
        void dlr() {
        }
    }

    @Test
    void theDlrLossOnTwoClassesIsAConfigurationErrorThatSaysWhy() {
        assertThat(EngineRuns.failures(EngineRuns.run(TwoClassDlrTestCase.class))).singleElement()
                .extracting(Throwable::getMessage).asString()
                .startsWith("Configuration error: @AdversarialTest on [TwoClassDlrTestCase.dlr()] cannot attack "
                        + "@ModelUnderTest TwoClassDlrTestCase.model with APGD-DLR: APGD-DLR needs a classifier of at "
                        + "least 3 classes (the DLR loss compares the true, first and third largest logits) but ")
                .endsWith(" has 2");
    }
}
