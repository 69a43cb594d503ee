package io.robustunit.model.dl4j;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Checks a DL4J configuration before DL4J parses it. DL4J's JSON names Java classes ({@code "@class"}) that
 * Jackson loads and instantiates; RobustUnit lets through only DL4J's and ND4J's own configuration classes, so a
 * model file cannot make the test JVM load or initialize any other class. It also tells a
 * {@code MultiLayerNetwork} from a {@code ComputationGraph} by the configuration's structure.
 */
final class ConfigurationJson {

    /** The packages whose classes a model configuration may name. */
    static final List<String> ALLOWED_PACKAGES = List.of(
            "org.deeplearning4j.nn.conf.",
            "org.deeplearning4j.nn.weights.",
            "org.deeplearning4j.nn.modelimport.keras.preprocessors.",
            "org.deeplearning4j.preprocessors.",
            "org.nd4j.linalg.activations.impl.",
            "org.nd4j.linalg.lossfunctions.impl.",
            "org.nd4j.linalg.learning.config.",
            "org.nd4j.linalg.learning.regularization.",
            "org.nd4j.linalg.schedule.");

    private static final List<String> REFUSED_PACKAGES = List.of("org.deeplearning4j.nn.conf.layers.samediff.");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    enum Kind { MULTI_LAYER_NETWORK, COMPUTATION_GRAPH }

    private ConfigurationJson() {
    }

    /**
     * @return which kind of network the configuration describes
     * @throws IOException naming the file if the JSON is invalid, of neither kind, or names a class outside the
     *         allowed packages
     */
    static Kind check(String json, String source) throws IOException {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IOException("model file " + source + " has an invalid " + ModelZip.CONFIGURATION + " ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException("model file " + source + ": " + ModelZip.CONFIGURATION + " is not a JSON object");
        }
        checkClasses(root, source);
        if (root.path("vertices").isObject() && root.path("networkInputs").isArray()) {
            return Kind.COMPUTATION_GRAPH;
        }
        if (root.path("confs").isArray()) {
            return Kind.MULTI_LAYER_NETWORK;
        }
        throw new IOException("model file " + source + ": " + ModelZip.CONFIGURATION + " describes neither a "
                + "MultiLayerNetwork (\"confs\") nor a ComputationGraph (\"vertices\", \"networkInputs\")");
    }

    private static void checkClasses(JsonNode node, String source) throws IOException {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                if ((field.getKey().equals("@class") || field.getKey().equals("@c")) && !allowed(field.getValue())) {
                    throw new IOException("model file " + source + " names the class " + field.getValue()
                            + " in its configuration; RobustUnit loads only DL4J's and ND4J's own configuration "
                            + "classes from model files (packages " + ALLOWED_PACKAGES + ")");
                }
                checkClasses(field.getValue(), source);
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                checkClasses(element, source);
            }
        }
    }

    private static boolean allowed(JsonNode value) {
        if (!value.isTextual()) {
            return false;
        }
        String name = value.asText();
        return ALLOWED_PACKAGES.stream().anyMatch(name::startsWith)
                && REFUSED_PACKAGES.stream().noneMatch(name::startsWith);
    }
}
