package io.robustunit.model.dl4j.keras;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Rewrites a checked Keras configuration into the Keras 2 form that DL4J's importer reads. Keras 3 differs in data
 * only (keras-team/keras 3.x, {@code serialization_lib.serialize_keras_object}, {@code Functional.get_config}):
 * <ul>
 *   <li>serialized objects carry {@code module}, {@code registered_name} and {@code build_config} besides
 *       {@code class_name} and {@code config}: dropped;</li>
 *   <li>a layer's dtype is a {@code DTypePolicy} object: replaced by its name ({@code "float32"}, checked before);</li>
 *   <li>{@code InputLayer} declares {@code batch_shape}: renamed {@code batch_input_shape};</li>
 *   <li>a Functional layer's {@code inbound_nodes} are {@code [{"args": [tensors], "kwargs": {}}]} with each tensor a
 *       {@code __keras_tensor__} whose {@code keras_history} is {@code [layer, node, tensor]}: rewritten as Keras 2's
 *       {@code [[[layer, node, tensor, {}], …]]};</li>
 *   <li>a Sequential built from a shape rather than an {@code Input} has no {@code InputLayer}: one is added from
 *       {@code build_input_shape}.</li>
 * </ul>
 * The importer also needs {@code keras_version} and {@code backend} beside the configuration, which Keras keeps
 * elsewhere in the file; the weight layout of Keras 3 is the TensorFlow backend's of Keras 2 for every backend.
 */
final class Keras2Form {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Keras2Form() {
    }

    /**
     * @param config a checked configuration
     * @param backend the backend recorded in the file, {@code "tensorflow"} if none is
     * @return the configuration as Keras 2 JSON, with {@code keras_version} and {@code backend}
     */
    static String of(KerasConfig config, String backend, String source) throws IOException {
        ObjectNode root = config.root().deepCopy();
        strip(root);
        ObjectNode body = (ObjectNode) root.path("config");
        ArrayNode layers = (ArrayNode) body.path("layers");
        for (JsonNode layer : layers) {
            ObjectNode entry = (ObjectNode) layer;
            renameBatchShape((ObjectNode) entry.path("config"));
            if (entry.has("inbound_nodes")) {
                entry.set("inbound_nodes", inboundNodes(entry.get("inbound_nodes"), KerasConfig.name(entry), source));
            }
        }
        if (!config.functional()) {
            addInputLayer(body, layers, source);
        }
        // the importer reads the major version from the first digit; the configuration is in Keras 2 form now
        root.put("keras_version", config.majorVersion() == 2 ? config.kerasVersion() : "2");
        root.put("backend", backend);
        return root.toString();
    }

    /** Drops Keras 3's object metadata and replaces dtype policies by their names, everywhere in the tree. */
    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.has("class_name")) {
                object.remove(List.of("module", "registered_name", "build_config", "compile_config",
                        "shared_object_id"));
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                JsonNode value = field.getValue();
                if (field.getKey().equals("dtype") && value.isObject()) {
                    field.setValue(TextNode.valueOf(value.path("config").path("name").asText("float32")));
                } else {
                    strip(value);
                }
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(Keras2Form::strip);
        }
    }

    private static void renameBatchShape(ObjectNode config) {
        if (config.has("batch_shape") && !config.has("batch_input_shape")) {
            config.set("batch_input_shape", config.remove("batch_shape"));
        }
        config.remove("optional");
    }

    /** Keras 2's inbound nodes are kept; Keras 3's are rewritten. */
    private static JsonNode inboundNodes(JsonNode nodes, String layer, String source) throws IOException {
        ArrayNode result = NODES.arrayNode();
        for (JsonNode node : nodes) {
            if (node.isArray()) {
                result.add(node);
                continue;
            }
            ArrayNode inputs = NODES.arrayNode();
            for (JsonNode arg : node.path("args")) {
                addTensors(arg, inputs, layer, source);
            }
            if (inputs.isEmpty()) {
                throw new IOException("model file " + source + ": layer '" + layer + "' has an inbound node without "
                        + "input tensors: " + KerasConfig.abbreviate(node));
            }
            result.add(inputs);
        }
        return result;
    }

    private static void addTensors(JsonNode arg, ArrayNode inputs, String layer, String source) throws IOException {
        if (arg.isArray()) {
            for (JsonNode element : arg) {
                addTensors(element, inputs, layer, source);
            }
            return;
        }
        JsonNode history = arg.path("config").path("keras_history");
        if (!arg.path("class_name").asText().equals("__keras_tensor__") || !history.isArray() || history.size() != 3) {
            throw new IOException("model file " + source + ": layer '" + layer + "' is called with an argument that "
                    + "is not a Keras tensor: " + KerasConfig.abbreviate(arg) + "; RobustUnit imports layers "
                    + "called on tensors only");
        }
        ArrayNode input = NODES.arrayNode();
        input.add(history.get(0)).add(history.get(1)).add(history.get(2)).add(NODES.objectNode());
        inputs.add(input);
    }

    /** A Sequential needs its input shape on an InputLayer or its first layer; Keras 3 may keep it elsewhere. */
    private static void addInputLayer(ObjectNode body, ArrayNode layers, String source) throws IOException {
        JsonNode first = layers.get(0);
        if (KerasConfig.className(first).equals("InputLayer") || first.path("config").has("batch_input_shape")) {
            return;
        }
        JsonNode shape = body.path("build_input_shape");
        if (!shape.isArray()) {
            throw new IOException("model file " + source + ": its Sequential model records no input shape (no "
                    + "InputLayer, batch_input_shape or build_input_shape); give the model an Input and save it "
                    + "again");
        }
        ObjectNode input = NODES.objectNode().put("class_name", "InputLayer");
        input.putObject("config").put("name", "input_layer").put("dtype", "float32").set("batch_input_shape", shape);
        layers.insert(0, input);
    }
}
