package io.robustunit.model.dl4j.keras;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * The entries of a Keras 3 {@code .keras} archive ({@code saving_lib._save_model_to_fileobj}): {@code metadata.json},
 * {@code config.json} and {@code model.weights.h5}, read as data. Archives whose weights are a NumPy
 * {@code model.weights.npz} (which Keras opens with pickle enabled) or that carry layer assets are refused, as is any
 * other entry. Each entry's size is bounded while it is inflated; the weights go to a temporary file, because HDF5
 * reads files, which {@link #close()} deletes.
 */
final class KerasArchive implements AutoCloseable {

    static final String METADATA = "metadata.json";
    static final String CONFIG = "config.json";
    static final String WEIGHTS = "model.weights.h5";

    /** The largest weights file RobustUnit reads: weights and optimizer state of a 1 GiB model. */
    static final long MAX_WEIGHTS_BYTES = 4L << 30;

    private static final int MAX_METADATA_BYTES = 1 << 20;

    final String metadata;
    final String config;
    final Path weights;

    private KerasArchive(String metadata, String config, Path weights) {
        this.metadata = metadata;
        this.config = config;
        this.weights = weights;
    }

    /**
     * @param in the archive, read to its end but not closed
     * @throws IOException naming the source and the problem
     */
    static KerasArchive read(InputStream in, String source) throws IOException {
        String metadata = null;
        String config = null;
        Path weights = null;
        try (ZipInputStream zip = new ZipInputStream(in)) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                String name = entry.getName();
                if (entry.isDirectory() && !name.startsWith("assets")) {
                    continue;
                }
                switch (name) {
                    case METADATA -> metadata = text(zip, metadata, MAX_METADATA_BYTES, source, name);
                    case CONFIG -> config = text(zip, config, KerasConfig.MAX_BYTES, source, name);
                    case WEIGHTS -> {
                        if (weights != null) {
                            throw twice(source, name);
                        }
                        weights = copy(zip, MAX_WEIGHTS_BYTES, source, name);
                    }
                    default -> throw refused(source, name);
                }
            }
        } catch (ZipException e) {
            delete(weights);
            throw new IOException("model file " + source + " is not a valid zip (" + e + ")", e);
        } catch (IOException | RuntimeException e) {
            delete(weights);
            throw e;
        }
        if (config == null || weights == null) {
            delete(weights);
            throw new IOException("model file " + source + " is an incomplete Keras archive: it has no "
                    + (config == null ? CONFIG : WEIGHTS) + "; save the model again with model.save(\"model.keras\")");
        }
        return new KerasArchive(metadata == null ? "{}" : metadata, config, weights);
    }

    private static String text(InputStream in, String before, int limit, String source, String name)
            throws IOException {
        if (before != null) {
            throw twice(source, name);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        bounded(in, out, limit, source, name);
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Copies a stream to a new temporary file, at most {@code limit} bytes.
     *
     * @throws IOException naming the source if it holds more
     */
    static Path copy(InputStream in, long limit, String source, String name) throws IOException {
        Path file = Files.createTempFile("robustunit-keras-", ".h5");
        try (OutputStream out = Files.newOutputStream(file)) {
            bounded(in, out, limit, source, name);
            return file;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    private static void bounded(InputStream in, OutputStream out, long limit, String source, String name)
            throws IOException {
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            total += n;
            if (total > limit) {
                throw new IOException("model file " + source + ": " + name + " holds more than " + limit
                        + " bytes, the most RobustUnit reads");
            }
            out.write(buffer, 0, n);
        }
    }

    private static IOException twice(String source, String name) {
        return new IOException("model file " + source + " holds the entry " + name + " twice");
    }

    private static IOException refused(String source, String name) {
        String why = name.equals("model.weights.npz") ? "NumPy weights, which Keras loads with pickle enabled; save "
                + "the model with the default weights format" : name.startsWith("assets") ? "layer assets, such as "
                + "a vocabulary; RobustUnit imports layers without assets" : "not part of a Keras model archive";
        return new IOException("model file " + source + " holds the entry " + name + " (" + why + "); RobustUnit "
                + "reads only " + METADATA + ", " + CONFIG + " and " + WEIGHTS + " from a .keras archive");
    }

    private static void delete(Path file) throws IOException {
        if (file != null) {
            Files.deleteIfExists(file);
        }
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(weights);
    }
}
