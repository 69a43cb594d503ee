package io.robustunit.model.dl4j.keras;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apiguardian.api.API;
import org.deeplearning4j.nn.api.Model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.robustunit.model.dl4j.keras.Hdf5File.FloatArray;

/**
 * Opens Keras models as DL4J networks: legacy HDF5 files ({@code model.save("model.h5")}) of Keras 2 and 3, and
 * Keras 3 archives ({@code model.save("model.keras")}). The architecture is read and checked as data first
 * ({@link KerasConfig}, {@link KerasLayers}), then the weights ({@link KerasWeights}), then DL4J's importer builds the
 * network ({@link KerasImport}). The training configuration and optimizer state are never read.
 *
 * <p>This class and its package need {@code org.deeplearning4j:deeplearning4j-modelimport} on the classpath; the
 * {@code model.dl4j} package checks for it before it touches them.
 */
@API(status = INTERNAL, since = "0.1")
public final class KerasFiles {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private KerasFiles() {
    }

    /**
     * @param file a Keras {@code .h5} model file
     * @param source the file or resource, for messages
     * @return a {@code MultiLayerNetwork} (Sequential) or {@code ComputationGraph} (Functional)
     * @throws IOException naming the source and what to do if it cannot be imported
     */
    public static Model loadH5(Path file, String source) throws IOException {
        try (Hdf5File h5 = Hdf5File.open(file, source)) {
            String version = attribute(h5, "/", "keras_version")
                    .or(() -> quietly(() -> attribute(h5, "model_weights", "keras_version"))).orElse("");
            String json = attribute(h5, "/", "model_config").orElseThrow(() -> notAModel(h5, source));
            checkVersion(version, source);
            KerasConfig config = KerasConfig.parse(json, version, source);
            String backend = attribute(h5, "/", "backend").orElse("tensorflow");
            if (config.majorVersion() == 2 && !backend.equals("tensorflow")) {
                throw new IOException("model file " + source + " was saved with the Keras 2 " + backend + " backend; "
                        + "RobustUnit imports Keras 2 models of the TensorFlow backend, and Keras 3 models of any");
            }
            Map<String, Map<String, FloatArray>> weights = KerasWeights.legacy(h5, config, source);
            return KerasImport.build(config, Keras2Form.of(config, "tensorflow", source), weights, source);
        }
    }

    /**
     * @param in a Keras {@code .h5} model, copied to a temporary file for HDF5 and read to its end but not closed
     * @param source the resource, for messages
     * @return as {@link #loadH5(Path, String)}
     * @throws IOException as {@link #loadH5(Path, String)}
     */
    public static Model loadH5(InputStream in, String source) throws IOException {
        Path copy = KerasArchive.copy(in, KerasArchive.MAX_WEIGHTS_BYTES, source, "the HDF5 file");
        try {
            return loadH5(copy, source);
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    /**
     * @param in a Keras 3 {@code .keras} archive, read to its end but not closed
     * @param source the file or resource, for messages
     * @return a {@code MultiLayerNetwork} (Sequential) or {@code ComputationGraph} (Functional)
     * @throws IOException naming the source and what to do if it cannot be imported
     */
    public static Model loadArchive(InputStream in, String source) throws IOException {
        try (KerasArchive archive = KerasArchive.read(in, source)) {
            String version = metadata(archive.metadata, source).path("keras_version").asText("3");
            checkVersion(version, source);
            KerasConfig config = KerasConfig.parse(archive.config, version, source);
            Map<String, Map<String, FloatArray>> weights;
            try (Hdf5File h5 = Hdf5File.open(archive.weights, source + " (" + KerasArchive.WEIGHTS + ")")) {
                weights = KerasWeights.archive(h5, config, source);
            }
            return KerasImport.build(config, Keras2Form.of(config, "tensorflow", source), weights, source);
        }
    }

    private static void checkVersion(String version, String source) throws IOException {
        if (!version.startsWith("2.") && !version.startsWith("3.") && !version.equals("3")) {
            throw new IOException("model file " + source + " was saved by Keras "
                    + (version.isEmpty() ? "of an unknown version (no keras_version)" : version)
                    + "; RobustUnit imports models saved by Keras 2 and 3");
        }
    }

    private static JsonNode metadata(String json, String source) throws IOException {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IOException("model file " + source + " has an invalid " + KerasArchive.METADATA + " ("
                    + e.getMessage() + ")", e);
        }
    }

    private static Optional<String> attribute(Hdf5File h5, String object, String name) throws IOException {
        Optional<List<String>> strings = h5.strings(object, name);
        return strings.filter(s -> s.size() == 1).map(s -> s.get(0));
    }

    private static IOException notAModel(Hdf5File h5, String source) {
        boolean weightsOnly = quietly(() -> h5.isGroup("model_weights") || h5.strings("/", "layer_names").isPresent()
                ? Optional.of("") : Optional.empty()).isPresent();
        boolean keras3Weights = quietly(() -> h5.isGroup("layers") && h5.isGroup("vars") ? Optional.of("")
                : Optional.empty()).isPresent();
        if (weightsOnly || keras3Weights) {
            return new IOException("model file " + source + " holds only weights (model.save_weights), not a model; "
                    + "save the whole model with model.save(\"model.h5\") or model.save(\"model.keras\")");
        }
        return new IOException("model file " + source + " is an HDF5 file but not a Keras model: it has no "
                + "model_config attribute. Save the model with model.save(\"model.h5\") or model.save(\"model.keras\")");
    }

    /** An optional lookup whose failure only means "not there". */
    @FunctionalInterface
    private interface Lookup {
        Optional<String> get() throws IOException;
    }

    private static Optional<String> quietly(Lookup lookup) {
        try {
            return lookup.get();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
