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
 * Loading, saving and identifying Deeplearning4j models.
 *
 * <p>Model files are read as data. Of a {@code ModelSerializer} zip only the configuration and the parameters are
 * read; entries that {@code ModelSerializer} would restore by Java deserialization or by instantiating classes the
 * file names (normalizers, {@code objects/…}) are refused, the configuration may name only DL4J's and ND4J's own
 * configuration classes, and every size is bounded by what the file really holds. Nothing from a model file is
 * executed. The updater state is not loaded.
 */
@API(status = STABLE, since = "0.1")
public final class Dl4jModels {

    private Dl4jModels() {
    }

    /**
     * Loads a {@code MultiLayerNetwork} or {@code ComputationGraph}, whichever the file's configuration describes.
     *
     * @param file a model zip written by {@code ModelSerializer}
     * @return the network
     * @throws IOException naming the file and the problem if it is missing, a directory, or not a valid DL4J model
     */
    public static Model load(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException("model file " + file + " is a directory, not a model file");
        }
        if (!Files.exists(file)) {
            throw new IOException("model file " + file + " does not exist");
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return load(in, file.toString());
        }
    }

    /**
     * Loads a model from the classpath, e.g. {@code "/models/mnist-mlp.zip"}, through this class's loader.
     *
     * @param resource an absolute classpath resource name
     * @return the network
     * @throws IOException naming the resource if it is missing or not a valid DL4J model
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
     * @param in the model zip
     * @param source a name for the stream in messages, e.g. a resource name
     * @return the network
     * @throws IOException naming the source if it is not a valid DL4J model
     */
    public static Model load(InputStream in, String source) throws IOException {
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
     * @throws IOException naming the source if it is not a valid DL4J model
     */
    @API(status = INTERNAL, since = "0.1")
    public static TrainableNetwork open(InputStream in, String source) throws IOException {
        return new Dl4jNetwork(load(in, source), true);
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
