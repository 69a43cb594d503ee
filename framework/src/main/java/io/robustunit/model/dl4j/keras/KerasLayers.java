package io.robustunit.model.dl4j.keras;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Keras layers RobustUnit imports, and the checks that refuse everything else before any weight is read or the
 * importer sees the file. Layers that carry code ({@code Lambda}, TensorFlow op layers) and custom layers are
 * recognised from the configuration's data alone: their payloads are never decoded, let alone run. A supported layer
 * is also refused where a setting would change its numbers in a way the import does not reproduce (channels-first
 * data, grouped convolutions, low-rank adapters, a compute type other than float32).
 */
final class KerasLayers {

    /** The layers RobustUnit imports, each checked against Keras's own numbers by the example module's tests. */
    static final Set<String> SUPPORTED = Set.of("InputLayer", "Dense", "Conv2D", "MaxPooling2D", "AveragePooling2D",
            "GlobalAveragePooling2D", "Flatten", "Dropout", "Activation", "BatchNormalization", "ZeroPadding2D", "Add",
            "Concatenate");

    /** The activations whose DL4J counterpart computes the same function as Keras 2 and 3. */
    static final Set<String> ACTIVATIONS = Set.of("linear", "relu", "relu6", "sigmoid", "tanh", "softmax", "elu",
            "selu", "softplus", "softsign", "swish");

    /** Layers whose configuration holds code or a serialized TensorFlow graph. */
    private static final Set<String> CODE = Set.of("Lambda", "TFOpLambda", "SlicingOpLambda", "TensorFlowOpLayer",
            "__lambda__");

    private static final Set<String> MODELS = Set.of("Sequential", "Functional", "Model");

    /** The weights of a layer in the order Keras 3 stores them in a {@code .keras} file, by class. */
    private static final Map<String, List<String>> WEIGHTS = Map.of(
            "Dense", List.of("kernel", "bias"),
            "Conv2D", List.of("kernel", "bias"),
            "BatchNormalization", List.of("gamma", "beta", "moving_mean", "moving_variance"));

    private KerasLayers() {
    }

    /**
     * @throws IOException naming the file and the first layer that RobustUnit refuses, and why
     */
    static void check(KerasConfig config, String source) throws IOException {
        for (JsonNode layer : config.layers()) {
            String name = KerasConfig.name(layer);
            String kind = KerasConfig.className(layer);
            String where = "model file " + source + ": layer '" + name + "' (" + kind + ")";
            refuseCode(layer, kind, where);
            refuseCustom(layer, kind, where);
            if (MODELS.contains(kind)) {
                throw new IOException(where + " is a nested model; RobustUnit imports flat Sequential and Functional "
                        + "models. Rebuild it with the inner model's layers inline and save it again");
            }
            if (!SUPPORTED.contains(kind)) {
                throw new IOException(where + " is not a layer RobustUnit imports: either a custom layer, whose "
                        + "code RobustUnit does not run, or a Keras layer whose numbers the import is not checked to "
                        + "reproduce. RobustUnit imports " + String.join(", ", new java.util.TreeSet<>(SUPPORTED)));
            }
            checkSettings(layer.path("config"), kind, where);
        }
    }

    /** @return the names of a layer's weights in the order a {@code .keras} file stores them */
    static List<String> weightOrder(JsonNode layer) {
        String kind = KerasConfig.className(layer);
        JsonNode config = layer.path("config");
        List<String> names = new ArrayList<>();
        for (String weight : WEIGHTS.getOrDefault(kind, List.of())) {
            boolean present = switch (weight) {
                case "bias" -> config.path("use_bias").asBoolean(true);
                case "gamma" -> config.path("scale").asBoolean(true);
                case "beta" -> config.path("center").asBoolean(true);
                default -> true;
            };
            if (present) {
                names.add(weight);
            }
        }
        return names;
    }

    private static void refuseCode(JsonNode layer, String kind, String where) throws IOException {
        if (CODE.contains(kind)) {
            throw new IOException(where + " holds Python code or a TensorFlow graph, which RobustUnit never decodes "
                    + "or runs. Replace it with built-in Keras layers and save the model again");
        }
        String nested = nestedCode(layer.path("config"));
        if (nested != null) {
            throw new IOException(where + " uses a " + nested + " object, which holds Python code that RobustUnit "
                    + "never decodes or runs. Use built-in Keras functions only and save the model again");
        }
    }

    /** @return the class name of the first object inside the node that carries code, or {@code null} */
    private static String nestedCode(JsonNode node) {
        if (CODE.contains(node.path("class_name").asText(""))) {
            return node.path("class_name").asText();
        }
        for (Iterator<JsonNode> it = node.elements(); it.hasNext();) {
            String found = nestedCode(it.next());
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /**
     * Keras marks custom objects by a registered name ({@code "package>Name"}) and, in Keras 3 archives, by a
     * module outside Keras; a Keras 2 custom layer has a class name Keras does not define, caught as unsupported.
     */
    private static void refuseCustom(JsonNode node, String kind, String where) throws IOException {
        if (node.isObject() && node.has("class_name")) {
            String className = node.path("class_name").asText("");
            JsonNode registered = node.path("registered_name");
            JsonNode module = node.get("module");
            boolean custom = className.contains(">")
                    || registered.isTextual() && !registered.asText().equals(className)
                    || module != null && !(module.isTextual() && (module.asText().equals("keras")
                    || module.asText().startsWith("keras.")));
            if (custom) {
                String what = registered.isTextual() ? registered.asText() : className;
                throw new IOException(where + (className.equals(kind) ? " is" : " uses") + " the custom Keras "
                        + "object " + what + ": its behaviour is Python code in the project that saved it, which "
                        + "RobustUnit does not run. Use built-in Keras layers and functions only, and save the model "
                        + "again");
            }
        }
        for (Iterator<JsonNode> it = node.elements(); it.hasNext();) {
            refuseCustom(it.next(), kind, where);
        }
    }

    private static void checkSettings(JsonNode config, String kind, String where) throws IOException {
        checkDtype(config.path("dtype"), where);
        JsonNode activation = config.path("activation");
        if (!activation.isMissingNode() && !(activation.isTextual() && ACTIVATIONS.contains(activation.asText()))) {
            throw new IOException(where + " has the activation " + KerasConfig.abbreviate(activation) + "; "
                    + "RobustUnit imports " + String.join(", ", new java.util.TreeSet<>(ACTIVATIONS)));
        }
        JsonNode format = config.path("data_format");
        if (format.isTextual() && !format.asText().equals("channels_last")) {
            throw new IOException(where + " has data_format " + format.asText() + "; RobustUnit imports "
                    + "channels_last models (Keras's default)");
        }
        require(config, "groups", 1, where, "grouped convolutions are not imported");
        requireAbsent(config, "lora_rank", where, "low-rank adapters (LoRA) are not imported");
        requireAbsent(config, "noise_shape", where, "a dropout noise shape is not imported");
        requireFalse(config, "keepdims", where);
        requireFalse(config, "renorm", where);
        requireFalse(config, "synchronized", where);
        requireFalse(config, "sparse", where);
        requireFalse(config, "ragged", where);
        if (kind.equals("Concatenate") && config.path("axis").asInt(-1) != -1) {
            throw new IOException(where + " concatenates along axis " + config.path("axis") + "; RobustUnit imports "
                    + "concatenation along the last axis (-1, Keras's default)");
        }
        if (kind.equals("BatchNormalization") && !lastAxis(config.path("axis"))) {
            throw new IOException(where + " normalizes along axis " + config.path("axis") + "; RobustUnit imports "
                    + "batch normalization of channels-last images (axis -1, which Keras 2 saves as [3])");
        }
    }

    private static boolean lastAxis(JsonNode axis) {
        JsonNode value = axis.isArray() && axis.size() == 1 ? axis.get(0) : axis;
        return value.isMissingNode() || value.isNull() || value.asInt(0) == -1 || value.asInt(0) == 3;
    }

    /** Keras 2 writes {@code "float32"}, Keras 3 a DTypePolicy object naming it. */
    private static void checkDtype(JsonNode dtype, String where) throws IOException {
        if (dtype.isMissingNode() || dtype.isNull()) {
            return;
        }
        String name = dtype.isTextual() ? dtype.asText() : dtype.path("config").path("name").asText("?");
        if (!name.equals("float32")) {
            throw new IOException(where + " computes in " + name + "; RobustUnit imports float32 models. Set the "
                    + "dtype policy to float32 (keras.mixed_precision.set_global_policy(\"float32\")) and save again");
        }
    }

    private static void require(JsonNode config, String key, int expected, String where, String why)
            throws IOException {
        JsonNode value = config.path(key);
        if (!value.isMissingNode() && !value.isNull() && value.asInt(expected) != expected) {
            throw new IOException(where + " has " + key + " = " + value + "; " + why);
        }
    }

    private static void requireAbsent(JsonNode config, String key, String where, String why) throws IOException {
        JsonNode value = config.path(key);
        if (!value.isMissingNode() && !value.isNull() && !(value.isNumber() && value.asInt() == 0)) {
            throw new IOException(where + " has " + key + " = " + KerasConfig.abbreviate(value) + "; " + why);
        }
    }

    private static void requireFalse(JsonNode config, String key, String where) throws IOException {
        if (config.path(key).asBoolean(false)) {
            throw new IOException(where + " has " + key + " = true, which RobustUnit does not import");
        }
    }
}
