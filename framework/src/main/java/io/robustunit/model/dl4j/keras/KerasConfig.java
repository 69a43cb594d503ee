package io.robustunit.model.dl4j.keras;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A Keras model's architecture as Keras saved it ({@code model_config} of an {@code .h5}, {@code config.json} of a
 * {@code .keras}), parsed as plain JSON data and checked with {@link KerasLayers} before anything else is read. Its
 * layers are found whatever the Keras version: Keras 2 and 3 nest them under {@code config.layers}.
 *
 * @param kerasVersion the Keras version that saved the file, e.g. {@code "2.12.0"}
 * @param root the whole configuration: {@code {"class_name": …, "config": {…}}}
 * @param functional whether it is a Functional model (else Sequential)
 * @param layers the layer entries, in the configuration's order
 */
record KerasConfig(String kerasVersion, ObjectNode root, boolean functional, List<ObjectNode> layers) {

    /** The largest configuration RobustUnit reads, as for DL4J's {@code configuration.json}. */
    static final int MAX_BYTES = 16 << 20;

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build()).build());

    /**
     * @param json the configuration's text
     * @param kerasVersion the version that wrote it
     * @param source the file, for messages
     * @throws IOException naming the file if the JSON is too large or invalid, is neither a Sequential nor a
     *         Functional model, or has a layer RobustUnit refuses
     */
    static KerasConfig parse(String json, String kerasVersion, String source) throws IOException {
        if (json.length() > MAX_BYTES) {
            throw new IOException("model file " + source + ": its Keras configuration has " + json.length()
                    + " characters, more than the " + MAX_BYTES + " RobustUnit reads");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IOException("model file " + source + " has an invalid Keras model configuration ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
        if (!(root instanceof ObjectNode object) || !root.path("class_name").isTextual()) {
            throw new IOException("model file " + source + ": its Keras model configuration is not an object with a "
                    + "class_name");
        }
        String kind = root.path("class_name").asText();
        boolean functional = kind.equals("Functional") || kind.equals("Model");
        if (!functional && !kind.equals("Sequential")) {
            throw new IOException("model file " + source + " holds a Keras " + kind + "; RobustUnit imports "
                    + "Sequential and Functional models. A subclassed model has no architecture in the file: build "
                    + "it as a Sequential or Functional model, or convert it in Python, and save it again");
        }
        JsonNode layers = root.path("config").path("layers");
        if (!layers.isArray() || layers.isEmpty()) {
            throw new IOException("model file " + source + ": its Keras " + kind + " configuration lists no layers");
        }
        List<ObjectNode> list = new ArrayList<>();
        for (JsonNode layer : (ArrayNode) layers) {
            if (!(layer instanceof ObjectNode entry)) {
                throw new IOException("model file " + source + ": a layer entry of its Keras configuration is not "
                        + "an object: " + abbreviate(layer));
            }
            list.add(entry);
        }
        KerasConfig config = new KerasConfig(kerasVersion, object, functional, List.copyOf(list));
        KerasLayers.check(config, source);
        return config;
    }

    /** @return the Keras major version: 2 or 3 */
    int majorVersion() {
        return kerasVersion.isEmpty() || !Character.isDigit(kerasVersion.charAt(0)) ? 0 : kerasVersion.charAt(0) - '0';
    }

    /** @return the model's own name */
    String name() {
        return root.path("config").path("name").asText("model");
    }

    /** @return a layer entry's name */
    static String name(JsonNode layer) {
        JsonNode name = layer.path("config").path("name");
        return name.isTextual() ? name.asText() : layer.path("name").asText("?");
    }

    /** @return a layer entry's class name */
    static String className(JsonNode layer) {
        return layer.path("class_name").asText("?");
    }

    static String abbreviate(JsonNode node) {
        String text = node.toString();
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
