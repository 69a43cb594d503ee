package io.robustunit.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import io.robustunit.report.AtomicFiles;

/** Loading, saving and identifying DL4J models saved with {@code ModelSerializer}. */
public final class Dl4jModels {

    private static final String CONFIGURATION_ENTRY = "configuration.json";

    private Dl4jModels() {
    }

    /**
     * Loads a {@code MultiLayerNetwork} or {@code ComputationGraph}, whichever the file holds, without its
     * updater state.
     *
     * @param file a model zip written by {@code ModelSerializer}
     * @return the network
     * @throws IOException naming the file if it is missing or not a DL4J model
     */
    public static Model load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("model file " + file + " does not exist");
        }
        boolean graph;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry conf = zip.getEntry(CONFIGURATION_ENTRY);
            if (conf == null) {
                throw new IOException("model file " + file + " is not a DL4J model: it has no " + CONFIGURATION_ENTRY);
            }
            try (InputStream in = zip.getInputStream(conf)) {
                graph = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).contains("\"vertices\"");
            }
        } catch (java.util.zip.ZipException e) {
            throw new IOException("model file " + file + " is not a DL4J model zip (" + e.getMessage() + ")", e);
        }
        try {
            return graph ? ModelSerializer.restoreComputationGraph(file.toFile(), false)
                    : ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
        } catch (IOException | RuntimeException e) {
            throw new IOException("model file " + file + " is corrupt: " + e.getMessage(), e);
        }
    }

    /**
     * Loads a model from the classpath, e.g. {@code "/models/mnist-mlp.zip"}.
     *
     * @param resource an absolute classpath resource name
     * @return the network
     * @throws IOException naming the resource if it is missing or not a DL4J model
     */
    public static Model loadResource(String resource) throws IOException {
        String name = resource.startsWith("/") ? resource : "/" + resource;
        Path temp = Files.createTempFile("robustunit-model-", ".zip");
        try (InputStream in = Dl4jModels.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("model resource " + name + " is not on the classpath");
            }
            Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
            return load(temp);
        } catch (IOException e) {
            throw new IOException(e.getMessage().replace(temp.toString(), "resource " + name), e);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Saves a network atomically: it is written to a temporary file beside {@code file} and moved into
     * place, so a crash never leaves a half-written model.
     *
     * @param model a {@code MultiLayerNetwork} or {@code ComputationGraph}
     * @param file the destination
     * @param saveUpdater whether to include the updater state, needed to resume training
     * @throws IOException if writing fails; the previous file, if any, is then untouched
     */
    public static void save(Model model, Path file, boolean saveUpdater) throws IOException {
        AtomicFiles.write(file, temp -> ModelSerializer.writeModel(model, temp.toFile(), saveUpdater));
    }

    /**
     * @param model a network
     * @return the SHA-256 of its parameters as float32 little-endian bytes, in hex: the same weights give
     *         the same digest whatever file or configuration they came from
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
}
