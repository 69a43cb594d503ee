package io.robustunit.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import org.apiguardian.api.API;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.robustunit.health.HealthCheck;

/**
 * The JSON form of a {@link ClassReport}, schema {@value #SCHEMA}; the JSON Schema is the classpath resource
 * {@value #SCHEMA_RESOURCE}. Fractions are numbers in [0, 1]; a fraction that is undefined (no example of a
 * class, no correct example to fool) is {@code null}.
 */
@API(status = INTERNAL, since = "0.1")
public final class ReportJson {

    /** The schema identifier written into every report. */
    public static final String SCHEMA = "robustunit-report/1";

    /** The JSON Schema of reports. */
    public static final String SCHEMA_RESOURCE = "/io/robustunit/report/robustness-report.schema.json";

    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportJson() {
    }

    /**
     * @param report the class report
     * @param generated when the report was made
     * @return it as pretty-printed JSON
     */
    public static String write(ClassReport report, Instant generated) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("testClass", report.testClass());
        root.put("generated", generated.toString());
        ObjectNode model = root.putObject("model");
        model.put("name", report.modelName());
        model.put("parameterSha256", report.modelSha256());
        model.put("description", report.modelDescription());
        ObjectNode dataset = root.putObject("dataset");
        dataset.put("name", report.datasetName());
        dataset.put("size", report.datasetSize());
        dataset.put("features", report.features());
        dataset.put("classes", report.classes());
        ArrayNode results = root.putArray("results");
        for (ResultRecord r : report.results()) {
            results.add(result(r));
        }
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report of " + report.testClass(), e);
        }
    }

    /**
     * Writes the report atomically to {@code <directory>/<testClass>.json}.
     *
     * @param directory the report directory
     * @param report the class report
     * @param generated when the report was made
     * @return the file written
     * @throws IOException if it cannot be written
     */
    public static Path save(Path directory, ClassReport report, Instant generated) throws IOException {
        Path file = directory.resolve(report.testClass() + ".json");
        AtomicFiles.writeString(file, write(report, generated));
        return file;
    }

    private static ObjectNode result(ResultRecord r) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("test", r.test());
        o.put("displayName", r.displayName());
        ObjectNode attack = o.putObject("attack");
        r.attack().forEach(attack::put);
        o.put("epsilon", r.epsilon());
        o.put("samples", r.samples());
        o.put("datasetSize", r.datasetSize());
        o.put("seed", r.seed());
        o.put("status", r.status());
        ObjectNode thresholds = o.putObject("thresholds");
        r.thresholds().forEach(thresholds::put);
        ObjectNode metrics = o.putObject("metrics");
        metrics.put("correctClean", r.correctClean());
        metrics.put("correctAdversarial", r.correctAdversarial());
        fraction(metrics, "cleanAccuracy", r.cleanAccuracy());
        fraction(metrics, "adversarialAccuracy", r.adversarialAccuracy());
        ArrayNode interval = metrics.putArray("adversarialAccuracy95");
        interval.add(r.adversarialLower());
        interval.add(r.adversarialUpper());
        metrics.put("accuracyDrop", r.accuracyDrop());
        fraction(metrics, "attackSuccessRate", r.attackSuccessRate());
        fraction(metrics, "meanCleanConfidence", r.meanCleanConfidence());
        fraction(metrics, "meanAdversarialConfidence", r.meanAdversarialConfidence());
        ObjectNode perClass = o.putObject("perClassAccuracy");
        fractions(perClass.putArray("clean"), r.perClassClean());
        fractions(perClass.putArray("adversarial"), r.perClassAdversarial());
        ArrayNode confusion = o.putArray("adversarialConfusionMatrix");
        for (long[] row : r.confusion()) {
            ArrayNode cells = confusion.addArray();
            for (long v : row) {
                cells.add(v);
            }
        }
        ObjectNode baseline = o.putObject("baseline");
        baseline.put("verdict", r.baseline().verdict());
        fraction(baseline, "baselineAdversarialAccuracy", r.baseline().baselineAccuracy());
        baseline.put("modelChanged", r.baseline().modelChanged());
        ArrayNode health = o.putArray("evaluationHealth");
        for (HealthCheck c : r.health()) {
            ObjectNode check = health.addObject();
            check.put("check", c.name());
            check.put("status", c.status().name());
            check.put("detail", c.detail());
        }
        ObjectNode timings = o.putObject("timings");
        timings.put("attackSeconds", r.attackSeconds());
        timings.put("totalSeconds", r.totalSeconds());
        return o;
    }

    private static void fraction(ObjectNode node, String name, double value) {
        if (Double.isNaN(value)) {
            node.putNull(name);
        } else {
            node.put(name, value);
        }
    }

    private static void fractions(ArrayNode node, double[] values) {
        for (double v : values) {
            if (Double.isNaN(v)) {
                node.addNull();
            } else {
                node.add(v);
            }
        }
    }

    /** @return the entries of {@code map} as an object node, for callers building their own JSON */
    static ObjectNode object(Map<String, String> map) {
        ObjectNode o = MAPPER.createObjectNode();
        map.forEach(o::put);
        return o;
    }
}
