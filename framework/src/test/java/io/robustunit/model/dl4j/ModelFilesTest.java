package io.robustunit.model.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** Model files are data: what RobustUnit reads from them, and what it refuses before doing anything. */
class ModelFilesTest {

    @TempDir
    Path dir;

    /** A class whose deserialization has a visible side effect, like a gadget on a test classpath. */
    static final class Gadget implements Serializable {
        private static final long serialVersionUID = 1L;
        static volatile boolean triggered;

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            triggered = true;
        }
    }

    private Path saved(Model model) throws IOException {
        Path file = dir.resolve("model-" + System.nanoTime() + ".zip");
        ModelSerializer.writeModel(model, file.toFile(), false);
        return file;
    }

    private static Map<String, byte[]> entries(Path zip) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null;) {
                out.put(e.getName(), in.readAllBytes());
            }
        }
        return out;
    }

    private Path zip(Map<String, byte[]> entries) throws IOException {
        Path file = dir.resolve("crafted-" + System.nanoTime() + ".zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return file;
    }

    private static byte[] serialized(Object object) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        }
        return bytes.toByteArray();
    }

    private Map<String, byte[]> validEntries() throws IOException {
        return entries(saved(TestNets.mlp(6, 4, 3, Activation.RELU, 1.0, DataType.FLOAT, 1)));
    }

    @Test
    void aSavedNetworkLoadsWithItsParameters() throws IOException {
        MultiLayerNetwork net = TestNets.mlp(6, 4, 3, Activation.TANH, 1.0, DataType.FLOAT, 3);
        Model loaded = Dl4jModels.load(saved(net));
        assertThat(loaded).isInstanceOf(MultiLayerNetwork.class);
        assertThat(loaded.params()).isEqualTo(net.params());
        ComputationGraph graph = TestNets.graph(6, 4, 3, Activation.TANH, 1.0, DataType.FLOAT, 3);
        assertThat(Dl4jModels.load(saved(graph))).isInstanceOf(ComputationGraph.class)
                .extracting(Model::params).isEqualTo(graph.params());
    }

    @Test
    void aJavaSerializedEntryIsRefusedAndNeverDeserialized() throws IOException {
        Map<String, byte[]> entries = validEntries();
        entries.put("preprocessor.bin", serialized(new Gadget()));
        Path crafted = zip(entries);

        Gadget.triggered = false;
        assertThatThrownBy(() -> Dl4jModels.load(crafted)).isInstanceOf(IOException.class).hasMessage("model file "
                + crafted + " holds the entry preprocessor.bin (a Java-serialized data normalizer); RobustUnit reads only "
                + "configuration.json and coefficients.bin and never deserializes Java objects. Save the model without "
                + "it: ModelSerializer.writeModel(model, file, saveUpdater) with no normalizer");
        assertThat(Gadget.triggered).isFalse();

        // the same file through DL4J's own loader runs the gadget before failing to cast it: the entry is a real attack
        assertThatThrownBy(() -> ModelSerializer.restoreMultiLayerNetwork(crafted.toFile(), false))
                .isInstanceOf(ClassCastException.class);
        assertThat(Gadget.triggered).isTrue();
    }

    @Test
    void aDeserializationBombFailsFastInsteadOfHanging() throws IOException {
        // nested sets whose hashing doubles at every level: a few KB that ObjectInputStream would hash forever
        Set<Object> root = new HashSet<>();
        Set<Object> s1 = root;
        Set<Object> s2 = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            Set<Object> t1 = new HashSet<>();
            Set<Object> t2 = new HashSet<>();
            t1.add("foo");
            s1.add(t1);
            s1.add(t2);
            s2.add(t1);
            s2.add(t2);
            s1 = t1;
            s2 = t2;
        }
        byte[] bomb = serialized(root);
        assertThat(bomb.length).isLessThan(10_000);
        Map<String, byte[]> entries = validEntries();
        entries.put("objects/normalizer", bomb);
        Path crafted = zip(entries);

        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThatThrownBy(() -> Dl4jModels.load(crafted))
                .hasMessageContaining("holds the entry objects/normalizer (a Java-serialized object)"));
    }

    @Test
    void aConfigurationNamingAClassOutsideDl4jIsRefusedBeforeParsing() throws IOException {
        Map<String, byte[]> entries = validEntries();
        String json = new String(entries.get("configuration.json"), StandardCharsets.UTF_8);
        entries.put("configuration.json", json.replaceFirst("\"@class\" ?: ?\"org\\.nd4j\\.linalg\\.activations\\.impl"
                + "\\.ActivationReLU\"", "\"@class\" : \"javax.script.ScriptEngineManager\"")
                .getBytes(StandardCharsets.UTF_8));
        Path crafted = zip(entries);

        assertThatThrownBy(() -> Dl4jModels.load(crafted)).hasMessageStartingWith("model file " + crafted
                + " names the class \"javax.script.ScriptEngineManager\" in its configuration; RobustUnit loads only "
                + "DL4J's and ND4J's own configuration classes");
    }

    @Test
    void aParameterHeaderClaimingMoreThanTheFileHoldsIsRefusedWithoutAllocating() throws IOException {
        Map<String, byte[]> entries = validEntries();
        ByteArrayOutputStream params = new ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(params)) {
            out.writeUTF("LONG_SHAPE");
            out.writeLong(1L << 40);
            out.writeUTF("LONG");
        }
        entries.put("coefficients.bin", params.toByteArray());
        Path crafted = zip(entries);

        assertThatThrownBy(() -> Dl4jModels.load(crafted)).hasMessage("model file " + crafted + " has a malformed "
                + "coefficients.bin: its shape header declares 1099511627776 elements of LONG but only 0 bytes follow");
    }

    @Test
    void parametersThatDoNotMatchTheConfigurationAreRefused() throws IOException {
        Map<String, byte[]> entries = validEntries();
        entries.put("coefficients.bin", entries(saved(TestNets.mlp(6, 5, 3, Activation.RELU, 1.0, DataType.FLOAT, 1)))
                .get("coefficients.bin"));
        Path crafted = zip(entries);
        assertThatThrownBy(() -> Dl4jModels.load(crafted)).hasMessage("model file " + crafted + " holds 53 parameters "
                + "but its configuration declares 43");
    }

    @Test
    void directoryEntriesAreIgnoredAndUnknownEntriesNamed() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("model/", new byte[0]);
        entries.putAll(validEntries());
        assertThat(Dl4jModels.load(zip(entries))).isInstanceOf(MultiLayerNetwork.class);

        entries.put("notes.txt", "hello".getBytes(StandardCharsets.UTF_8));
        Path withNotes = zip(entries);
        assertThatThrownBy(() -> Dl4jModels.load(withNotes)).hasMessageStartingWith("model file " + withNotes
                + " holds the entry notes.txt (not part of a DL4J model)");
    }

    @Test
    void theKindOfNetworkComesFromTheConfigurationsStructureNotItsText() throws IOException {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new DenseLayer.Builder().name("vertices").nIn(4).nOut(3).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).name("networkInputs").nIn(3).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        assertThat(Dl4jModels.load(saved(net))).isInstanceOf(MultiLayerNetwork.class);
    }

    @Test
    void problemsWithThePathOrTheZipAreNamedWithTheirCause() throws IOException {
        assertThatThrownBy(() -> Dl4jModels.load(dir)).hasMessage("model file " + dir
                + " is a directory, not a model file");
        Path missing = dir.resolve("missing.zip");
        assertThatThrownBy(() -> Dl4jModels.load(missing)).hasMessage("model file " + missing + " does not exist");
        Path text = Files.writeString(dir.resolve("text.zip"), "not a zip at all");
        assertThatThrownBy(() -> Dl4jModels.load(text)).hasMessage("model file " + text + " is not a model "
                + "RobustUnit reads: it is neither a DL4J model zip, a Keras .keras archive nor a Keras .h5 file (it "
                + "starts with the bytes 6e 6f 74 20 61 20 7a 69). A TensorFlow SavedModel (saved_model.pb) is not "
                + "read: save the Keras model with model.save(\"model.keras\") or model.save(\"model.h5\")");
        Path emptyZip = Files.write(dir.resolve("empty.zip"), new byte[] {'P', 'K', 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 0, 0, 0, 0});
        assertThatThrownBy(() -> Dl4jModels.load(emptyZip)).hasMessageStartingWith("model file " + emptyZip
                + " is not a model RobustUnit reads");
        Map<String, byte[]> entries = validEntries();
        entries.put("configuration.json", "{\"confs\": [".getBytes(StandardCharsets.UTF_8));
        Path broken = zip(entries);
        assertThatThrownBy(() -> Dl4jModels.load(broken)).hasMessageStartingWith("model file " + broken
                + " has an invalid configuration.json (JsonEOFException: ");
    }
}
