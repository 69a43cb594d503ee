package io.robustunit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import io.robustunit.data.LabelledDataset;
import io.robustunit.report.HtmlSummary;
import io.robustunit.report.ReportJson;

/** The JSON and HTML reports a run writes, checked against the schema and the fixture's known numbers. */
class ReportsTest {

    @TestMethodOrder(MethodOrderer.MethodName.class)
    static class ReportedTestCase {
        @ModelUnderTest
        static MultiLayerNetwork model = LinearFixture.network();

        @TestData
        static LabelledDataset data = LinearFixture.data();

        @AdversarialTest(epsilon = {0.1, 0.2}, attack = {AttackKind.FGSM, AttackKind.PGD})
        void grid() {
        }

        @AdversarialTest(epsilon = 0.3, minAdversarialAccuracy = 0.5)
        void gate() {
        }
    }

    @Test
    void everyRunWritesASchemaValidJsonReportPerClass(@TempDir Path dir) throws Exception {
        EngineRuns.run(ReportedTestCase.class, AdversarialTest.REPORTS_DIRECTORY_PROPERTY, dir.toString(),
                AdversarialTest.BASELINE_FILE_PROPERTY, dir.resolve("none.json").toString());

        Path json = dir.resolve(ReportedTestCase.class.getName() + ".json");
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        JsonSchema schema;
        try (InputStream in = ReportJson.class.getResourceAsStream(ReportJson.SCHEMA_RESOURCE)) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
        Set<ValidationMessage> errors = schema.validate(report);
        assertThat(errors).isEmpty();

        assertThat(report.path("schema").asText()).isEqualTo("robustunit-report/1");
        assertThat(report.path("dataset").path("size").asInt()).isEqualTo(20);
        assertThat(report.path("model").path("name").asText()).isEqualTo("@ModelUnderTest ReportedTestCase.model");
        JsonNode results = report.path("results");
        assertThat(results).hasSize(5);
        // by hand (LinearFixture): 80% at ε=0.1, 60% at 0.2, 40% at 0.3 for both attacks; the ε=0.3 gate fails
        assertThat(results).extracting(r -> r.path("displayName").asText() + " " + r.path("metrics")
                .path("adversarialAccuracy").asDouble() + " " + r.path("status").asText())
                .containsExactlyInAnyOrder("FGSM ε=0.1 0.8 passed", "FGSM ε=0.2 0.6 passed", "PGD ε=0.1 0.8 passed",
                        "PGD ε=0.2 0.6 passed", "FGSM ε=0.3 0.4 failed");
        JsonNode gate = results.findParents("status").stream().filter(r -> r.path("status").asText().equals("failed"))
                .findFirst().orElseThrow();
        assertThat(gate.path("metrics").path("correctAdversarial").asInt()).isEqualTo(8);
        assertThat(gate.path("perClassAccuracy").path("adversarial").get(0).asDouble()).isEqualTo(0.4);
        assertThat(gate.path("adversarialConfusionMatrix").toString()).isEqualTo("[[4,6],[6,4]]");
        assertThat(gate.path("thresholds").path("minAdversarialAccuracy").asText()).isEqualTo("0.5");
    }

    @Test
    void theHtmlSummaryIsSelfContainedAndHasEveryTestAndChart(@TempDir Path dir) throws Exception {
        EngineRuns.run(ReportedTestCase.class, AdversarialTest.REPORTS_DIRECTORY_PROPERTY, dir.toString(),
                AdversarialTest.BASELINE_FILE_PROPERTY, dir.resolve("none.json").toString());

        String html = Files.readString(dir.resolve(HtmlSummary.FILE_NAME));
        assertThat(html).startsWith("<!DOCTYPE html>")
                .contains("ReportedTestCase", "grid()", "gate()", "FGSM ε=0.1", "PGD ε=0.2", "FGSM ε=0.3",
                        "class=\"failed\">failed", "1 test classes · 4 passed · 1 failed")
                .doesNotContain("<script", "http://", "https://", "<link");
        assertThat(html.split("src=\"data:image/png;base64,", -1)).hasSize(3);
        assertThat(dir.resolve("charts").resolve("ReportsTest.ReportedTestCase.grid_.png")).isRegularFile();
        assertThat(dir.resolve("charts").resolve("ReportsTest.ReportedTestCase.gate_.png")).isRegularFile();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
        }
    }
}
