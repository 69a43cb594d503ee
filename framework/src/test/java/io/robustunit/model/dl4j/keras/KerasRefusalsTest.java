package io.robustunit.model.dl4j.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.hdf5.global.hdf5.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.bytedeco.javacpp.BytePointer;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLambdaLayer;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

import io.robustunit.model.dl4j.Dl4jModels;

/**
 * Keras files RobustUnit cannot import exactly are refused before any work, each with the file, the layer or object,
 * the reason and what to do: code-carrying and custom layers (whose payloads are never decoded), layers and settings
 * the import does not reproduce, other Keras versions, truncated, missing, weights-only and non-Keras files,
 * SavedModel directories, and HDF5 content that would make RobustUnit allocate more than the file holds or read
 * outside it.
 */
class KerasRefusalsTest {

    @TempDir
    Path dir;

    /** A Lambda implementation that records whether the importer ever built it. */
    static final class RecordingLambda extends SameDiffLambdaLayer {
        static volatile boolean defined;

        @Override
        public SDVariable defineLayer(SameDiff sameDiff, SDVariable layerInput) {
            defined = true;
            return layerInput;
        }

        @Override
        public InputType getOutputType(int layerIndex, InputType inputType) {
            return inputType;
        }
    }

    @Test
    void aLambdaLayerIsRefusedBeforeTheImporterCouldRunIt() {
        Path file = KerasFixtures.path("lambda-keras2.h5");
        // a project that registered a Lambda of that name would make DL4J's importer accept and build the layer
        KerasLayer.registerLambdaLayer("lambda", new RecordingLambda());
        try {
            assertThatThrownBy(() -> Dl4jModels.load(file)).isInstanceOf(IOException.class).hasMessage("model file "
                    + file + ": layer 'lambda' (Lambda) holds Python code or a TensorFlow graph, which RobustUnit "
                    + "never decodes or runs. Replace it with built-in Keras layers and save the model again");
        } finally {
            KerasLayer.clearLambdaLayers();
        }
        assertThat(RecordingLambda.defined).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"custom-keras3.h5", "custom.keras"})
    void aCustomLayerIsRefusedByItsRegisteredName(String fixture) {
        Path file = KerasFixtures.path(fixture);
        assertThatThrownBy(() -> Dl4jModels.load(file)).isInstanceOf(IOException.class)
                .hasMessageStartingWith("model file " + file + ": layer 'my_scaling' (")
                .hasMessageContaining(") is the custom Keras object Custom>MyScaling: its behaviour is Python code "
                        + "in the project that saved it, which RobustUnit does not run. Use built-in Keras layers and "
                        + "functions only, and save the model again");
    }

    @Test
    void aTruncatedFileIsNamedAsTruncated() {
        Path file = KerasFixtures.path("truncated-keras2.h5");
        assertThatThrownBy(() -> Dl4jModels.load(file)).hasMessage("model file " + file + " starts like an HDF5 file "
                + "but HDF5 cannot open it: it is truncated or corrupt; copy or save it again");
    }

    @Test
    void aMissingFileAndASavedModelDirectorySayWhatTheyAre() throws IOException {
        Path missing = dir.resolve("mnist.h5");
        assertThatThrownBy(() -> Dl4jModels.load(missing)).hasMessage("model file " + missing + " does not exist");
        Path savedModel = Files.createDirectories(dir.resolve("mnist_savedmodel"));
        Files.write(savedModel.resolve("saved_model.pb"), new byte[] {8, 1});
        Files.createDirectories(savedModel.resolve("variables"));
        assertThatThrownBy(() -> Dl4jModels.load(savedModel)).hasMessage("model file " + savedModel + " is a "
                + "TensorFlow SavedModel directory; RobustUnit reads Keras .h5 and .keras files, not SavedModels. In "
                + "Python, load the model and save it again: model.save(\"model.keras\") (Keras 3) or "
                + "model.save(\"model.h5\") (Keras 2, tf.keras.models.load_model(\"mnist_savedmodel\") loads the "
                + "SavedModel)");
        Path protobuf = Files.copy(savedModel.resolve("saved_model.pb"), dir.resolve("saved_model.pb"));
        assertThatThrownBy(() -> Dl4jModels.load(protobuf)).hasMessageContaining("is not a model RobustUnit reads")
                .hasMessageContaining("A TensorFlow SavedModel (saved_model.pb) is not read");
    }

    static Stream<Arguments> configurations() {
        return Stream.of(
                Arguments.of("mlp.keras", "an unsupported layer", edit("\"class_name\": \"Flatten\"",
                        "\"class_name\": \"Reshape\""), "layer 'flatten' (Reshape) is not a layer RobustUnit imports: "
                        + "either a custom layer, whose code RobustUnit does not run, or a Keras layer whose numbers "
                        + "the import is not checked to reproduce. RobustUnit imports Activation, Add, "
                        + "AveragePooling2D, BatchNormalization, Concatenate, Conv2D, Dense, Dropout, Flatten, "
                        + "GlobalAveragePooling2D, InputLayer, MaxPooling2D, ZeroPadding2D"),
                Arguments.of("mlp.keras", "a nested model", edit("\"class_name\": \"Dense\", \"config\": {\"name\": "
                        + "\"dense\"", "\"class_name\": \"Sequential\", \"config\": {\"name\": \"dense\""),
                        "layer 'dense' (Sequential) is a nested model; RobustUnit imports flat Sequential and "
                                + "Functional models"),
                Arguments.of("mlp.keras", "a Keras 3 lambda as activation", edit("\"activation\": \"relu\"",
                        "\"activation\": {\"module\": \"builtins\", \"class_name\": \"__lambda__\", \"config\": "
                                + "{\"code\": \"4wEAAAAAAAAA\", \"defaults\": null, \"closure\": null}, "
                                + "\"registered_name\": null}"),
                        "layer 'dense' (Dense) uses a __lambda__ object, which holds Python code that RobustUnit "
                                + "never decodes or runs"),
                Arguments.of("mlp.keras", "mixed precision", edit("\"name\": \"dense\", \"trainable\": true, \"dtype\": "
                        + "{\"module\": \"keras\", \"class_name\": \"DTypePolicy\", \"config\": {\"name\": "
                        + "\"float32\"}", "\"name\": \"dense\", \"trainable\": true, \"dtype\": {\"module\": "
                        + "\"keras\", \"class_name\": \"DTypePolicy\", \"config\": {\"name\": \"mixed_float16\"}"),
                        "layer 'dense' (Dense) computes in mixed_float16; RobustUnit imports float32 models"),
                Arguments.of("mlp.keras", "an activation DL4J computes differently", edit("\"activation\": \"relu\"",
                        "\"activation\": \"hard_sigmoid\""), "layer 'dense' (Dense) has the activation "
                        + "\"hard_sigmoid\"; RobustUnit imports elu, linear, relu, relu6, selu, sigmoid, softmax, "
                        + "softplus, softsign, swish, tanh"),
                Arguments.of("cnn.keras", "channels-first data", edit("\"data_format\": \"channels_last\", "
                        + "\"dilation_rate\"", "\"data_format\": \"channels_first\", \"dilation_rate\""),
                        "layer 'conv2d' (Conv2D) has data_format channels_first; RobustUnit imports channels_last "
                                + "models (Keras's default)"),
                Arguments.of("cnn.keras", "a grouped convolution", edit("\"groups\": 1", "\"groups\": 2"),
                        "layer 'conv2d' (Conv2D) has groups = 2; grouped convolutions are not imported"),
                Arguments.of("mlp.keras", "a subclassed model", edit("\"class_name\": \"Sequential\"",
                        "\"class_name\": \"MyModel\""), "holds a Keras MyModel; RobustUnit imports Sequential and "
                        + "Functional models"),
                Arguments.of("mlp.keras", "a bias the weights file does not hold", edit("\"use_bias\": true",
                        "\"use_bias\": false"), "layer 'dense' has 2 weights in layers/dense/vars but its "
                        + "configuration declares 1 [kernel]"));
    }

    private static UnaryOperator<String> edit(String from, String to) {
        return json -> json.replaceFirst(java.util.regex.Pattern.quote(from),
                java.util.regex.Matcher.quoteReplacement(to));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("configurations")
    void aConfigurationTheImportDoesNotReproduceIsRefusedNamingTheLayer(String fixture, String what,
                                                                        UnaryOperator<String> change, String message)
            throws IOException {
        Path file = KerasFixtures.archive(dir, fixture, change, Map.of());
        assertThatThrownBy(() -> Dl4jModels.load(file)).isInstanceOf(IOException.class)
                .hasMessageStartingWith("model file " + file).hasMessageContaining(message);
    }

    @Test
    void archiveEntriesOtherThanTheModelAreRefused() throws IOException {
        Path npz = KerasFixtures.archive(dir, "mlp.keras", json -> json, Map.of("model.weights.npz", "PK"));
        assertThatThrownBy(() -> Dl4jModels.load(npz)).hasMessage("model file " + npz + " holds the entry "
                + "model.weights.npz (NumPy weights, which Keras loads with pickle enabled; save the model with the "
                + "default weights format); RobustUnit reads only metadata.json, config.json and model.weights.h5 "
                + "from a .keras archive");
        Path assets = KerasFixtures.archive(dir, "mlp.keras", json -> json, Map.of("assets/vocabulary.txt", "a"));
        assertThatThrownBy(() -> Dl4jModels.load(assets)).hasMessageContaining("holds the entry "
                + "assets/vocabulary.txt (layer assets, such as a vocabulary; RobustUnit imports layers without "
                + "assets)");
    }

    @Test
    void otherKerasVersionsAreRefused() throws IOException {
        Path keras1 = KerasFixtures.archive(dir, "mlp.keras", json -> json, Map.of("metadata.json",
                "{\"keras_version\": \"1.2.2\"}"));
        assertThatThrownBy(() -> Dl4jModels.load(keras1)).hasMessage("model file " + keras1 + " was saved by Keras "
                + "1.2.2; RobustUnit imports models saved by Keras 2 and 3");
    }

    @Test
    void anHdf5FileWithoutAModelIsNamedForWhatItHolds() throws IOException {
        Path weightsOnly = KerasFixtures.hdf5(dir, "mlp-keras2.h5",
                file -> KerasFixtures.check(H5Adelete(file, "model_config"), "delete model_config"));
        assertThatThrownBy(() -> Dl4jModels.load(weightsOnly)).hasMessage("model file " + weightsOnly + " holds only "
                + "weights (model.save_weights), not a model; save the whole model with model.save(\"model.h5\") or "
                + "model.save(\"model.keras\")");
        Path other = dir.resolve("other.h5");
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            H5open();
            H5Fclose(H5Fcreate(other.toString(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
        }
        assertThatThrownBy(() -> Dl4jModels.load(other)).hasMessage("model file " + other + " is an HDF5 file but "
                + "not a Keras model: it has no model_config attribute. Save the model with model.save(\"model.h5\") "
                + "or model.save(\"model.keras\")");
    }

    /** With a 1 GiB heap, reading this dataset would fail with OutOfMemoryError: it is refused by its shape. */
    @Test
    void aDatasetDeclaringMoreThanTheBoundIsRefusedBeforeAnythingIsAllocated() throws IOException {
        Path file = KerasFixtures.hdf5(dir, "mlp-keras2.h5", h5 -> KerasFixtures.hollowDataset(h5,
                "model_weights/dense/dense/kernel:0", 1L << 20, 1L << 10));
        assertThat(Files.size(file)).isLessThan(1 << 20);
        assertThatThrownBy(() -> Dl4jModels.load(file)).hasMessage("model file " + file + ": the HDF5 object "
                + "model_weights/dense/dense/kernel:0 has the shape [1048576, 1024], more than 268435456 elements");
    }

    @Test
    void aDatasetWhoseDataTheFileDoesNotHoldIsRefused() throws IOException {
        Path file = KerasFixtures.hdf5(dir, "mlp-keras2.h5", h5 -> KerasFixtures.hollowDataset(h5,
                "model_weights/dense/dense/kernel:0", 784, 128));
        assertThatThrownBy(() -> Dl4jModels.load(file)).hasMessage("model file " + file + ": the HDF5 object "
                + "model_weights/dense/dense/kernel:0 holds 0 bytes but its shape declares 401408; the file is "
                + "truncated or corrupt");
    }

    /** Compressed, unwritten chunks would be filled in by HDF5: a few kilobytes of file declaring any size. */
    @Test
    void aCompressedDatasetWhoseDataTheFileDoesNotHoldIsRefused() throws IOException {
        Path file = KerasFixtures.hdf5(dir, "mlp-keras2.h5", h5 -> KerasFixtures.hollowCompressedDataset(h5,
                "model_weights/dense/dense/kernel:0", 784, 128));
        assertThatThrownBy(() -> Dl4jModels.load(file)).hasMessage("model file " + file + ": the HDF5 object "
                + "model_weights/dense/dense/kernel:0 holds 0 compressed bytes but its shape declares 401408, more "
                + "than the 1032-fold expansion deflate allows; the file is corrupt or crafted");
    }

    @Test
    void anExternalLinkIsNeverFollowed() throws IOException {
        Path secret = Files.writeString(dir.resolve("secret.h5"), "not for the model");
        Path file = KerasFixtures.hdf5(dir, "mlp-keras2.h5", h5 -> {
            KerasFixtures.check(H5Ldelete(h5, "model_weights/dense/dense/kernel:0", H5P_DEFAULT), "delete");
            KerasFixtures.check(H5Lcreate_external(secret.toString(), "/data", h5, "model_weights/dense/dense/kernel:0",
                    H5P_DEFAULT, H5P_DEFAULT), "link");
        });
        assertThatThrownBy(() -> Dl4jModels.load(file)).hasMessage("model file " + file + ": the HDF5 object "
                + "model_weights/dense/dense/kernel:0 is a soft or external link; RobustUnit follows only the file's "
                + "own objects");
    }

    /** h5py 2 wrote fixed-length strings where h5py 3 writes variable-length ones; both are read. */
    @Test
    void fixedLengthStringAttributesAreReadAsKerasWroteThemWithH5py2() throws IOException {
        Path original = KerasFixtures.path("mlp-keras2.h5");
        String config;
        try (Hdf5File h5 = Hdf5File.open(original, "fixture")) {
            config = h5.strings("/", "model_config").orElseThrow().get(0);
        }
        Path file = KerasFixtures.hdf5(dir, "mlp-keras2.h5", h5 -> {
            rewriteFixed(h5, "model_config", config);
            rewriteFixed(h5, "keras_version", "2.12.0");
        });
        assertThat(Dl4jModels.parameterDigest(Dl4jModels.load(file)))
                .isEqualTo(Dl4jModels.parameterDigest(Dl4jModels.load(original)));
    }

    private static void rewriteFixed(long file, String name, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        KerasFixtures.check(H5Adelete(file, name), "delete " + name);
        long type = H5Tcopy(H5T_C_S1_g());
        H5Tset_size(type, bytes.length);
        long space = H5Screate(H5S_SCALAR);
        long attribute = H5Acreate2(file, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
        try (BytePointer data = new BytePointer(bytes)) {
            KerasFixtures.check(H5Awrite(attribute, type, data), "write " + name);
        }
        H5Aclose(attribute);
        H5Sclose(space);
        H5Tclose(type);
    }

    @Test
    void archiveLayerKeysFollowKerasSnakeCaseOfTheClassNumberedFromTheSecond() {
        Map<String, Integer> used = new java.util.HashMap<>();
        assertThat(Stream.of("InputLayer", "Dense", "Dense", "Conv2D", "MaxPooling2D", "GlobalAveragePooling2D",
                "ZeroPadding2D", "BatchNormalization", "Dense").map(c -> KerasWeights.key(c, used)))
                .containsExactly("input_layer", "dense", "dense_1", "conv2d", "max_pooling2d",
                        "global_average_pooling2d", "zero_padding2d", "batch_normalization", "dense_2");
        assertThat(KerasWeights.weightName("dense/kernel:0")).isEqualTo("kernel");
        assertThat(KerasWeights.weightName("sequential/batch_normalization/moving_variance"))
                .isEqualTo("moving_variance");
    }
}
