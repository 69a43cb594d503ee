package io.robustunit.model.dl4j.keras;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.robustunit.model.dl4j.keras.Hdf5File.FloatArray;

/**
 * Reads a Keras model's weights, layer by layer, from the two layouts Keras writes, into one form: layer name to
 * weight name ({@code kernel}, {@code bias}, {@code gamma}, …) to values.
 * <ul>
 *   <li>Legacy {@code .h5} ({@code legacy_h5_format.save_weights_to_hdf5_group}, Keras 2 and 3): group
 *       {@code model_weights/<layer>} lists its datasets in the attribute {@code weight_names}; each is at
 *       {@code model_weights/<layer>/<weight name>}. Keras 2 names them {@code <layer>/kernel:0}, Keras 3 by the
 *       variable's path, {@code <model>/<layer>/kernel} in a Sequential. The weight is the last path segment.</li>
 *   <li>{@code model.weights.h5} of a {@code .keras} archive ({@code saving_lib._save_state}): the model's layers,
 *       without a Sequential's InputLayer, at {@code layers/<key>/vars/0, 1, …} in creation order, unnamed. The key
 *       is the layer's class in snake case, numbered from the second of a class ({@code dense}, {@code dense_1}),
 *       not the layer's name; Keras ≥ 3.6 records the name in the {@code vars} group's {@code name} attribute,
 *       checked where present. Keras 2.13–2.15 archives use {@code _layer_checkpoint_dependencies} for
 *       {@code layers}.</li>
 * </ul>
 * Only the layers' own weights are read; optimizer state is ignored.
 */
final class KerasWeights {

    private KerasWeights() {
    }

    /**
     * @return the weights of every layer that has weights, keyed by layer name, then weight name
     * @throws IOException naming the file and layer if a weight is missing, unexpected or malformed
     */
    static Map<String, Map<String, FloatArray>> legacy(Hdf5File h5, KerasConfig config, String source)
            throws IOException {
        Map<String, Map<String, FloatArray>> weights = new HashMap<>();
        long[] budget = {Hdf5File.MAX_ELEMENTS};
        for (ObjectNode layer : config.layers()) {
            String name = KerasConfig.name(layer);
            List<String> expected = KerasLayers.weightOrder(layer);
            String group = "model_weights/" + name;
            if (!h5.isGroup(group)) {
                if (expected.isEmpty()) {
                    continue;
                }
                throw new IOException("model file " + source + " holds no weights for layer '" + name + "' ("
                        + group + " is missing)");
            }
            List<String> names = stringList(h5, group, "weight_names", source);
            Map<String, FloatArray> values = new LinkedHashMap<>();
            for (String weight : names) {
                values.put(weightName(weight), h5.floats(group + "/" + weight, budget));
            }
            check(values.keySet(), expected, name, source);
            if (!values.isEmpty()) {
                weights.put(name, values);
            }
        }
        return weights;
    }

    /**
     * @return the weights of every layer that has weights, keyed by layer name, then weight name
     * @throws IOException naming the file and layer if a weight is missing, unexpected or malformed
     */
    static Map<String, Map<String, FloatArray>> archive(Hdf5File h5, KerasConfig config, String source)
            throws IOException {
        String root = h5.isGroup("layers") ? "layers" : h5.isGroup("_layer_checkpoint_dependencies")
                ? "_layer_checkpoint_dependencies" : null;
        if (root == null) {
            throw new IOException("model file " + source + ": its model.weights.h5 has no layers group; it is not "
                    + "the weights file of a Keras model archive");
        }
        Map<String, Map<String, FloatArray>> weights = new HashMap<>();
        Map<String, Integer> used = new HashMap<>();
        long[] budget = {Hdf5File.MAX_ELEMENTS};
        for (ObjectNode layer : config.layers()) {
            if (!config.functional() && KerasConfig.className(layer).equals("InputLayer")) {
                continue;
            }
            String name = KerasConfig.name(layer);
            String group = root + "/" + key(KerasConfig.className(layer), used) + "/vars";
            List<String> expected = KerasLayers.weightOrder(layer);
            if (!h5.isGroup(group)) {
                if (expected.isEmpty()) {
                    continue;
                }
                throw new IOException("model file " + source + " holds no weights for layer '" + name + "' ("
                        + group + " is missing in model.weights.h5)");
            }
            Optional<List<String>> recorded = h5.strings(group, "name");
            if (recorded.isPresent() && !recorded.get().equals(List.of(name))) {
                throw new IOException("model file " + source + ": model.weights.h5 holds the weights of layer "
                        + recorded.get() + " at " + group + ", where the configuration has layer '" + name + "'");
            }
            int count = h5.children(group).size();
            if (count != expected.size()) {
                throw new IOException("model file " + source + ": layer '" + name + "' has " + count + " weights in "
                        + group + " but its configuration declares " + expected.size() + " " + expected);
            }
            Map<String, FloatArray> values = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                values.put(expected.get(i), h5.floats(group + "/" + i, budget));
            }
            if (!values.isEmpty()) {
                weights.put(name, values);
            }
        }
        return weights;
    }

    /** {@code naming.to_snake_case} of the class name, then numbered from the second layer of the class. */
    static String key(String className, Map<String, Integer> used) {
        String snake = className.replaceAll("\\W+", "").replaceAll("(.)([A-Z][a-z]+)", "$1_$2")
                .replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
        Integer seen = used.get(snake);
        used.put(snake, seen == null ? 0 : seen + 1);
        return seen == null ? snake : snake + "_" + (seen + 1);
    }

    /** {@code dense/kernel:0} and {@code sequential/dense/kernel} both name the weight {@code kernel}. */
    static String weightName(String stored) {
        String last = stored.substring(stored.lastIndexOf('/') + 1);
        return last.replaceFirst(":\\d+$", "");
    }

    /**
     * Reads a list attribute as Keras writes it: whole, as the empty float array h5py writes for an empty list, or
     * split into {@code name0}, {@code name1}, … when it exceeds HDF5's attribute size
     * ({@code save_attributes_to_hdf5_group}).
     */
    static List<String> stringList(Hdf5File h5, String group, String attribute, String source) throws IOException {
        if (h5.isEmptyAttribute(group, attribute)) {
            return List.of();
        }
        Optional<List<String>> whole = h5.strings(group, attribute);
        if (whole.isPresent()) {
            return whole.get();
        }
        List<String> all = new ArrayList<>();
        for (int chunk = 0; ; chunk++) {
            Optional<List<String>> part = h5.strings(group, attribute + chunk);
            if (part.isEmpty()) {
                break;
            }
            all.addAll(part.get());
            if (all.size() > Hdf5File.MAX_ENTRIES) {
                throw new IOException("model file " + source + ": " + group + " @" + attribute + " lists more than "
                        + Hdf5File.MAX_ENTRIES + " names");
            }
        }
        if (all.isEmpty() && !h5.isEmptyAttribute(group, attribute + "0")) {
            throw new IOException("model file " + source + ": the group " + group + " has no " + attribute
                    + " attribute; it was not written by Keras");
        }
        return all;
    }

    private static void check(java.util.Set<String> found, List<String> expected, String layer, String source)
            throws IOException {
        if (!found.equals(new java.util.HashSet<>(expected)) || found.size() != expected.size()) {
            throw new IOException("model file " + source + ": layer '" + layer + "' has the weights " + found
                    + " but its configuration declares " + expected);
        }
    }
}
