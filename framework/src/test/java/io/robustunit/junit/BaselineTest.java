package io.robustunit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.nd4j.linalg.factory.Nd4j;
import org.opentest4j.AssertionFailedError;

import io.robustunit.data.LabelledDataset;
import io.robustunit.report.Baseline;

/** Baselines: recording, regressions, improvements, changed parameters and corrupt files. */
class BaselineTest {

    /** Which model the fixture attacks: the linear fixture, or a weaker one that looks only at x0. */
    static volatile boolean weak;

    @AfterEach
    void strong() {
        weak = false;
    }

    static MultiLayerNetwork weakNetwork() {
        // logits 5·x0 and −5·x0: every example is called class 0, so accuracy is 50% clean and under attack
        MultiLayerNetwork net = LinearFixture.network();
        net.getLayer(0).setParam("W", Nd4j.createFromArray(new float[][] {{5, -5}, {0, 0}}));
        return net;
    }

    @TestMethodOrder(MethodOrderer.MethodName.class)
    static class BaselinedTestCase {
        @ModelUnderTest
        static MultiLayerNetwork model() {
            return weak ? weakNetwork() : LinearFixture.network();
        }

        @TestData
        static LabelledDataset data = LinearFixture.data();

        @AdversarialTest(epsilon = {0.1, 0.2})
        void robustness() {
        }
    }

    private static EngineExecutionResults run(Path dir, String... extra) {
        return EngineRuns.runWithReports(BaselinedTestCase.class, dir, extra);
    }

    @Test
    void aMissingBaselineIsCreatedOnlyWhenAsked(@TempDir Path dir) throws Exception {
        run(dir).testEvents().assertStatistics(stats -> stats.succeeded(2));
        assertThat(dir.resolve("baseline.json")).doesNotExist();

        run(dir, AdversarialTest.BASELINE_UPDATE_PROPERTY, "true").testEvents().assertStatistics(stats -> stats.succeeded(2));

        Baseline baseline = Baseline.read(dir.resolve("baseline.json")).orElseThrow();
        assertThat(baseline.entries()).hasSize(2).allSatisfy(e -> {
            assertThat(e.test()).isEqualTo(BaselinedTestCase.class.getName() + "#robustness");
            assertThat(e.samples()).isEqualTo(20);
        });
        assertThat(baseline.entries()).extracting(Baseline.Entry::epsilon, Baseline.Entry::correct)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(0.1, 16), org.assertj.core.groups.Tuple.tuple(0.2, 12));
    }

    @Test
    void aWeakerModelFailsAsARegressionWithADiffTable(@TempDir Path dir) {
        run(dir, AdversarialTest.BASELINE_UPDATE_PROPERTY, "true");
        weak = true;

        EngineExecutionResults results = run(dir);

        results.testEvents().assertStatistics(stats -> stats.failed(2));
        AssertionFailedError failure = (AssertionFailedError) EngineRuns.failures(results).get(0);
        String baselineFile = dir.resolve("baseline.json").toString();
        assertThat(failure.getMessage()).startsWith("""
                Robustness regression in BaselinedTestCase.robustness(): FGSM ε=0.1 adversarial accuracy fell from \
                80.00%% to 50.00%% (-30.00 pp; tolerance 1.00 pp)

                                ε  baseline     now          Δ
                  FGSM ε=0.1  0.1    80.00%%  50.00%%  -30.00 pp  REGRESSION
                  FGSM ε=0.2  0.2    60.00%%  50.00%%  -10.00 pp  REGRESSION

                  baseline %s, tolerance 1.00 pp, compared on the point estimate; model changed: baseline \
                parameters sha256 """.formatted(baselineFile));
        assertThat(failure.getExpected().getStringRepresentation()).isEqualTo(">= 79.00%");
        assertThat(failure.getActual().getStringRepresentation()).isEqualTo("50.00%");
    }

    @Test
    void aLargeToleranceOrTheWilsonModeForgivesSamplingNoise(@TempDir Path dir) {
        run(dir, AdversarialTest.BASELINE_UPDATE_PROPERTY, "true");
        weak = true;
        // 50% of 20 examples: the 95% Wilson interval is [29.93%, 70.07%], above 60% − 1 pp but below 80% − 1 pp
        EngineExecutionResults wilson = run(dir, AdversarialTest.BASELINE_MODE_PROPERTY, "WILSON");
        assertThat(EngineRuns.displayNames(wilson)).containsExactly("FGSM ε=0.1", "FGSM ε=0.2");
        wilson.testEvents().assertStatistics(stats -> stats.succeeded(1).failed(1));
        run(dir, AdversarialTest.BASELINE_TOLERANCE_PROPERTY, "0.35").testEvents()
                .assertStatistics(stats -> stats.succeeded(2));
    }

    @Test
    void anImprovementPassesAndIsReported(@TempDir Path dir) {
        weak = true;
        run(dir, AdversarialTest.BASELINE_UPDATE_PROPERTY, "true");
        weak = false;

        EngineExecutionResults results = run(dir);

        results.testEvents().assertStatistics(stats -> stats.succeeded(2).failed(0));
        List<Map<String, String>> entries = EngineRuns.reportEntries(results);
        assertThat(entries).filteredOn(e -> e.containsKey("robustunit.baseline")).extracting(e -> e.get("robustunit.baseline"))
                .hasSize(2).allSatisfy(text -> assertThat(text).startsWith("improved: 50.00% -> ")
                        .contains("model changed: baseline parameters sha256"));
    }

    @Test
    void aChangedParameterFindsNoBaselineInsteadOfAWrongOne(@TempDir Path dir) {
        run(dir, AdversarialTest.BASELINE_UPDATE_PROPERTY, "true");

        EngineExecutionResults results = run(dir, AdversarialTest.SEED_PROPERTY, "7");

        results.testEvents().assertStatistics(stats -> stats.succeeded(2));
        assertThat(EngineRuns.reportEntries(results)).filteredOn(e -> e.containsKey("robustunit.baseline"))
                .extracting(e -> e.get("robustunit.baseline")).hasSize(2)
                .allSatisfy(text -> assertThat(text).startsWith("missing: no entry for " + BaselinedTestCase.class.getName()
                        + "#robustness {attack=FGSM, epsilon=0.").endsWith("samples=20 seed=7 (" + dir.resolve("baseline.json") + ")"));
    }

    @Test
    void aCorruptBaselineIsAClearErrorAndIsNeverReplaced(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("baseline.json"), "{\"schema\": \"robustunit-baseline/1\", \"entries\": [");

        for (String update : new String[] {"false", "true"}) {
            EngineExecutionResults results = run(dir, AdversarialTest.BASELINE_UPDATE_PROPERTY, update);
            if (update.equals("false")) {
                results.testEvents().assertStatistics(stats -> stats.failed(2));
                assertThat(EngineRuns.failures(results)).first().extracting(Throwable::getMessage).asString()
                        .startsWith("robustness baseline " + file + " is not valid JSON (")
                        .endsWith("; fix it, or delete it and run with -Drobustunit.baseline.update=true to record a new one");
            }
            assertThat(Files.readString(file)).isEqualTo("{\"schema\": \"robustunit-baseline/1\", \"entries\": [");
        }
    }

    @Test
    void aFailingReportNeverCostsTheBaselineUpdate(@TempDir Path dir) throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("reports"), "a regular file where reports should go");
        EngineExecutionResults results = EngineRuns.run(BaselinedTestCase.class,
                AdversarialTest.REPORTS_DIRECTORY_PROPERTY, notADirectory.resolve("html").toString(),
                AdversarialTest.BASELINE_FILE_PROPERTY, dir.resolve("baseline.json").toString(),
                AdversarialTest.BASELINE_UPDATE_PROPERTY, "true");

        results.testEvents().assertStatistics(stats -> stats.succeeded(2));
        assertThat(EngineRuns.failures(results)).isNotEmpty();
        assertThat(Baseline.read(dir.resolve("baseline.json")).orElseThrow().entries()).hasSize(2);
    }

    @Test
    void requiringBaselinesFailsEveryInvocationWithoutAnEntry(@TempDir Path dir) {
        EngineExecutionResults withoutFile = run(dir, AdversarialTest.BASELINE_REQUIRED_PROPERTY, "true");
        withoutFile.testEvents().assertStatistics(stats -> stats.failed(2));
        assertThat(EngineRuns.failures(withoutFile)).first().extracting(Throwable::getMessage).asString()
                .startsWith("FGSM ε=0.1 on BaselinedTestCase.robustness() has no baseline entry in "
                        + dir.resolve("baseline.json") + " (key " + BaselinedTestCase.class.getName() + "#robustness ")
                .endsWith("), and robustunit.baseline.required=true requires one; record it with "
                        + "-Drobustunit.baseline.update=true");

        run(dir, AdversarialTest.BASELINE_UPDATE_PROPERTY, "true");
        run(dir, AdversarialTest.BASELINE_REQUIRED_PROPERTY, "true").testEvents()
                .assertStatistics(stats -> stats.succeeded(2));
        run(dir, AdversarialTest.BASELINE_REQUIRED_PROPERTY, "true", AdversarialTest.SEED_PROPERTY, "7").testEvents()
                .assertStatistics(stats -> stats.failed(2));
    }

    @Test
    void everyVerdictIsInTheJsonReportAndEachClassPrintsOneLine(@TempDir Path dir) throws Exception {
        run(dir, AdversarialTest.BASELINE_UPDATE_PROPERTY, "true");
        weak = true;
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        java.io.PrintStream original = System.out;
        System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            run(dir, AdversarialTest.BASELINE_TOLERANCE_PROPERTY, "0.2");
        } finally {
            System.setOut(original);
        }

        assertThat(printed.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("RobustUnit baseline, "
                + "BaselineTest$BaselinedTestCase: 2 compared (0 improved, 1 regressed), 0 missing, MODEL CHANGED");
        com.fasterxml.jackson.databind.JsonNode report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                dir.resolve("reports").resolve(BaselinedTestCase.class.getName() + ".json").toFile());
        assertThat(report.path("results")).extracting(r -> r.path("displayName").asText() + ": "
                        + r.path("baseline").path("verdict").asText() + " "
                        + r.path("baseline").path("baselineAdversarialAccuracy").asDouble() + " "
                        + r.path("baseline").path("modelChanged").asBoolean())
                .containsExactlyInAnyOrder("FGSM ε=0.1: regressed 0.8 true", "FGSM ε=0.2: within tolerance 0.6 true");
    }
}
