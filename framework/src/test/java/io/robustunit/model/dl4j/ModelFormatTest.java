package io.robustunit.model.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * Which kind of model a file is comes from its content, not its name; and opening a Keras file without DL4J's
 * importer names the artifact to add.
 */
class ModelFormatTest {

    private static final Path KERAS = Path.of("../mnist-example/src/test/resources/keras");

    @TempDir
    Path dir;

    private Path copy(String fixture, String name) throws IOException {
        return Files.copy(KERAS.resolve(fixture), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void aKerasHdf5FileNamedZipOpensAsKerasWithItsSoftmaxHeadGivenCrossEntropy() throws IOException {
        Model model = Dl4jModels.load(copy("mlp-keras2.h5", "model.zip"));
        assertThat(model).isInstanceOfSatisfying(MultiLayerNetwork.class, net -> {
            assertThat(net.numParams()).isEqualTo(101_770L);
            assertThat(net.getLayerWiseConfigurations().getConf(1).getLayer()).isInstanceOfSatisfying(
                    OutputLayer.class, out -> assertThat(out.getLossFn()).isInstanceOf(LossMCXENT.class));
        });
    }

    @Test
    void aKerasArchiveWithAnyNameOpensAsKerasFromAFileOrAStream() throws IOException {
        assertThat(Dl4jModels.load(copy("branch.keras", "model.bin"))).isInstanceOf(ComputationGraph.class);
        try (InputStream in = Files.newInputStream(KERAS.resolve("branch.keras"))) {
            assertThat(Dl4jModels.load(in, "a stream")).isInstanceOf(ComputationGraph.class);
        }
        try (InputStream in = Files.newInputStream(KERAS.resolve("cnn-keras3.h5"))) {
            assertThat(Dl4jModels.load(in, "a stream")).isInstanceOf(MultiLayerNetwork.class);
        }
    }

    /** What {@code harden --model mnist.h5 --output hardened.zip} does: the zip names the importer's preprocessor. */
    @Test
    void aKerasModelSavedAsADl4jZipLoadsAgainWithTheSameWeights() throws IOException {
        Model imported = Dl4jModels.load(KERAS.resolve("mlp-keras3.h5"));
        Path zip = dir.resolve("hardened.zip");
        Dl4jModels.save(imported, zip, false);
        Model reloaded = Dl4jModels.load(zip);
        assertThat(((MultiLayerNetwork) reloaded).getLayerWiseConfigurations().getInputPreProcess(0))
                .isInstanceOf(org.deeplearning4j.preprocessors.KerasFlattenRnnPreprocessor.class);
        assertThat(Dl4jModels.parameterDigest(reloaded)).isEqualTo(Dl4jModels.parameterDigest(imported));
        assertThat(Dl4jClassifiers.of(reloaded).description()).isEqualTo(Dl4jClassifiers.of(imported).description());
    }

    @Test
    void aDl4jZipNamedH5OpensAsDl4j() throws IOException {
        MultiLayerNetwork net = TestNets.mlp(4, 3, 2, Activation.RELU, 1.0, DataType.FLOAT, 1);
        Path file = dir.resolve("model.h5");
        ModelSerializer.writeModel(net, file.toFile(), false);
        assertThat(Dl4jModels.parameterDigest(Dl4jModels.load(file))).isEqualTo(Dl4jModels.parameterDigest(net));
    }

    @Test
    void theFormatIsToldByTheFirstBytesAndTheStreamIsLeftAtItsStart() throws IOException {
        for (String fixture : new String[] {"mlp-keras2.h5", "mlp.keras"}) {
            try (BufferedInputStream in = new BufferedInputStream(Files.newInputStream(KERAS.resolve(fixture)))) {
                ModelFormat format = ModelFormat.of(in, fixture);
                assertThat(format).isEqualTo(fixture.endsWith(".h5") ? ModelFormat.KERAS_HDF5
                        : ModelFormat.KERAS_ARCHIVE);
                byte[] start = java.util.Arrays.copyOf(Files.readAllBytes(KERAS.resolve(fixture)), 64);
                assertThat(in.readNBytes(64)).isEqualTo(start);
            }
        }
    }

    @Test
    void anEmptyFileIsNamedAsEmpty() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.h5"));
        assertThatThrownBy(() -> Dl4jModels.load(empty)).hasMessage("model file " + empty + " is empty");
    }

    @Test
    void withoutTheImporterOpeningAKerasFileNamesTheArtifactToAdd() {
        ClassLoader withoutImporter = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader());
        assertThat(KerasSupport.missing(withoutImporter)).isEqualTo(KerasSupport.IMPORTER_CLASS);
        assertThat(KerasSupport.missing(ModelFormatTest.class.getClassLoader())).isNull();
        assertThatThrownBy(() -> KerasSupport.require(ModelFormat.KERAS_HDF5, "models/mnist.h5", withoutImporter))
                .isInstanceOf(IOException.class)
                .hasMessage("model file models/mnist.h5 is a Keras HDF5 model (.h5); opening it needs DL4J's Keras "
                        + "importer, and org.deeplearning4j.nn.modelimport.keras.KerasModelImport is not on the "
                        + "classpath. Add the dependency org.deeplearning4j:deeplearning4j-modelimport:1.0.0-M2.1 "
                        + "(test scope, beside robustunit-framework) to open Keras files");
    }
}
