package io.robustunit.model.dl4j;

import static org.apiguardian.api.API.Status.INTERNAL;
import static org.apiguardian.api.API.Status.STABLE;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.apiguardian.api.API;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import io.robustunit.model.TrainableNetwork;

/**
 * Loading, saving and identifying Deeplearning4j models. Loading also opens Keras models as DL4J networks: a
 * {@code .h5} file written by Keras 2 or 3 ({@code model.save("model.h5")}) or a Keras 3 archive
 * ({@code model.save("model.keras")}); which format a file is comes from its content, not its name. Opening Keras files
 * needs {@code org.deeplearning4j:deeplearning4j-modelimport} on the classpath, in the version of DL4J; without it
 * the error names that artifact. A Sequential Keras model becomes a {@code MultiLayerNetwork}, a Functional one a
 * {@code ComputationGraph}, and a final softmax {@code Dense} layer an {@code OutputLayer} with cross-entropy loss, as
 * {@code sparse_categorical_crossentropy} computes it. The training configuration in the file is ignored.
 *
 * <p>Model files are read as data. Of a {@code ModelSerializer} zip only the configuration and the parameters are
 * read; entries that {@code ModelSerializer} would restore by Java deserialization or by instantiating classes the
 * file names (normalizers, {@code objects/…}) are refused, the configuration may name only DL4J's and ND4J's own
 * configuration classes, and every size is bounded by what the file really holds. Of a Keras file, the architecture
 * is checked as JSON data before anything else is read: {@code Lambda} layers, custom layers and layers outside the
 * supported set are refused by name, and their code is never decoded or run; weights are read only after their shape,
 * storage and filters are checked. Nothing from a model file is executed. The updater and optimizer state is not
 * loaded.
 */
@API(status = STABLE, since = "0.1")
public final class Dl4jModels {

    private Dl4jModels() {
    }

    /**
     * Loads a {@code MultiLayerNetwork} or {@code ComputationGraph}, whichever the file's configuration describes.
     *
     * @param file a model zip written by {@code ModelSerializer}, a Keras {@code .h5} file or a {@code .keras} archive
     * @return the network
     * @throws IOException naming the file and the problem if it is missing, a directory (such as a TensorFlow
     *         SavedModel), or not a valid model
     */
    public static Model load(Path file) throws IOException {
        checkFile(file);
        String source = file.toString();
        try (BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            ModelFormat format = ModelFormat.of(in, source);
            if (format == ModelFormat.KERAS_HDF5) {
                KerasSupport.require(format, source);
                // HDF5 reads the file itself: no copy
                return SoftmaxHeads.withLoss(io.robustunit.model.dl4j.keras.KerasFiles.loadH5(file, source));
            }
            return load(format, in, source);
        }
    }

    /**
     * @throws IOException naming the path if it does not exist or is a directory, saying what to do for a SavedModel
     */
    static void checkFile(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            if (Files.exists(file.resolve("saved_model.pb"))) {
                throw new IOException("model file " + file + " is a TensorFlow SavedModel directory; RobustUnit "
                        + "reads Keras .h5 and .keras files, not SavedModels. In Python, load the model and save it "
                        + "again: model.save(\"model.keras\") (Keras 3) or model.save(\"model.h5\") (Keras 2, "
                        + "tf.keras.models.load_model(\"" + file.getFileName() + "\") loads the SavedModel)");
            }
            throw new IOException("model file " + file + " is a directory, not a model file");
        }
        if (!Files.exists(file)) {
            throw new IOException("model file " + file + " does not exist");
        }
    }

    /**
     * Loads a model from the classpath, e.g. {@code "/models/mnist-mlp.zip"}, through this class's loader.
     *
     * @param resource an absolute classpath resource name
     * @return the network
     * @throws IOException naming the resource if it is missing or not a valid model
     */
    public static Model loadResource(String resource) throws IOException {
        String name = resource.startsWith("/") ? resource : "/" + resource;
        try (InputStream in = Dl4jModels.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("model resource " + name + " is not on the classpath");
            }
            return load(new BufferedInputStream(in), "resource " + name);
        }
    }

    /**
     * Loads a model from a stream, which is read to its end but not closed.
     *
     * @param in a model zip written by {@code ModelSerializer}, a Keras {@code .h5} file or a {@code .keras} archive
     * @param source a name for the stream in messages, e.g. a resource name
     * @return the network
     * @throws IOException naming the source if it is not a valid model
     */
    public static Model load(InputStream in, String source) throws IOException {
        BufferedInputStream buffered = in instanceof BufferedInputStream b ? b : new BufferedInputStream(in);
        return load(ModelFormat.of(buffered, source), buffered, source);
    }

    private static Model load(ModelFormat format, InputStream in, String source) throws IOException {
        if (format == ModelFormat.DL4J_ZIP) {
            return loadZip(in, source);
        }
        KerasSupport.require(format, source);
        Model model = format == ModelFormat.KERAS_HDF5 ? io.robustunit.model.dl4j.keras.KerasFiles.loadH5(in, source)
                : io.robustunit.model.dl4j.keras.KerasFiles.loadArchive(in, source);
        return SoftmaxHeads.withLoss(model);
    }

    private static Model loadZip(InputStream in, String source) throws IOException {
        ModelZip zip = ModelZip.read(in, source);
        ConfigurationJson.Kind kind = ConfigurationJson.check(zip.configuration, source);
        try {
            if (kind == ConfigurationJson.Kind.COMPUTATION_GRAPH) {
                ComputationGraphConfiguration conf = ComputationGraphConfiguration.fromJson(zip.configuration);
                INDArray params = Coefficients.read(zip.coefficients, parameterCount(conf), source);
                ComputationGraph graph = new ComputationGraph(conf);
                graph.init(params, false);
                return graph;
            }
            MultiLayerConfiguration conf = MultiLayerConfiguration.fromJson(zip.configuration);
            INDArray params = Coefficients.read(zip.coefficients, parameterCount(conf), source);
            MultiLayerNetwork network = new MultiLayerNetwork(conf);
            network.init(params, false);
            return network;
        } catch (RuntimeException e) {
            throw new IOException("model file " + source + " is not a valid DL4J " + (kind
                    == ConfigurationJson.Kind.COMPUTATION_GRAPH ? "ComputationGraph" : "MultiLayerNetwork") + " ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
    }

    private static long parameterCount(MultiLayerConfiguration conf) {
        long n = 0;
        for (NeuralNetConfiguration layer : conf.getConfs()) {
            n += layer.getLayer().initializer().numParams(layer);
        }
        return n;
    }

    private static long parameterCount(ComputationGraphConfiguration conf) {
        long n = 0;
        for (var vertex : conf.getVertices().values()) {
            if (vertex instanceof LayerVertex layer) {
                n += layer.getLayerConf().getLayer().initializer().numParams(layer.getLayerConf());
            }
        }
        return n;
    }

    /**
     * Saves a network atomically: it is written to a temporary file beside {@code file} and moved into place, so
     * a crash never leaves a half-written model.
     *
     * @param model a {@code MultiLayerNetwork} or {@code ComputationGraph}
     * @param file the destination; missing parent directories are created
     * @param saveUpdater whether to include the updater state, needed to resume training
     * @throws IOException if writing fails; the previous file, if any, is then untouched
     */
    public static void save(Model model, Path file, boolean saveUpdater) throws IOException {
        Path target = file.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
        try {
            ModelSerializer.writeModel(model, temp.toFile(), saveUpdater);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * @param model a network
     * @return the SHA-256 of its parameters as float32 little-endian bytes, in hex: the same weights give the same
     *         digest whatever file or configuration they came from
     */
    public static String parameterDigest(Model model) {
        INDArray params = model.params();
        float[] values = params.castTo(DataType.FLOAT).dup('c').data().asFloat();
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new UncheckedIOException(new IOException("SHA-256 is not available", e));
        }
    }

    /**
     * @param model a network
     * @return {@code MultiLayerNetwork} or {@code ComputationGraph}, with its parameter count
     */
    public static String describe(Model model) {
        String kind = model instanceof ComputationGraph ? "ComputationGraph"
                : model instanceof MultiLayerNetwork ? "MultiLayerNetwork" : model.getClass().getSimpleName();
        return kind + " (" + model.numParams() + " parameters)";
    }

    /**
     * @param model an initialized {@code MultiLayerNetwork} or single-input, single-output {@code ComputationGraph}
     *        classifier
     * @return a view that adversarial training changes in place; closing it does not close {@code model}
     * @throws IllegalArgumentException if the model is neither, is not initialized, or is not a classifier
     */
    public static TrainableNetwork trainable(Model model) {
        return new Dl4jNetwork(model, false);
    }

    /**
     * Loads a model as {@link #load(InputStream, String)} does, for a caller that owns it.
     *
     * @return the network; closing it releases the network
     * @throws IOException naming the source if it is not a valid model
     */
    @API(status = INTERNAL, since = "0.1")
    public static TrainableNetwork open(InputStream in, String source) throws IOException {
        return new Dl4jNetwork(load(in, source), true);
    }

    /**
     * Loads a model as {@link #load(Path)} does, for a caller that owns it.
     *
     * @return the network; closing it releases the network
     * @throws IOException naming the file if it is missing, a directory or not a valid model
     */
    @API(status = INTERNAL, since = "0.1")
    public static TrainableNetwork open(Path file) throws IOException {
        return new Dl4jNetwork(load(file), true);
    }

    /**
     * @param candidate any object, e.g. the value of a {@code @ModelUnderTest} field
     * @return the candidate as a {@link TrainableNetwork} if it is a DL4J network; closing it leaves the network open
     */
    @API(status = INTERNAL, since = "0.1")
    public static java.util.Optional<TrainableNetwork> asTrainable(Object candidate) {
        return candidate instanceof Model model ? java.util.Optional.of(trainable(model)) : java.util.Optional.empty();
    }
}
