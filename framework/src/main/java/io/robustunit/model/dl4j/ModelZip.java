package io.robustunit.model.dl4j;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * The entries of a DL4J model zip, read as data only. {@code ModelSerializer} restores some entries with Java
 * deserialization ({@code preprocessor.bin}, {@code objects/…}) or by instantiating classes named in the file
 * ({@code normalizer.bin}); RobustUnit reads neither, and refuses any entry it does not know, before anything
 * is parsed. Each entry's size is bounded while it is inflated, whatever its header claims.
 */
final class ModelZip {

    static final String CONFIGURATION = "configuration.json";
    static final String COEFFICIENTS = "coefficients.bin";
    static final String UPDATER_STATE = "updaterState.bin";
    static final String NO_PARAMS = "noParams.marker";

    /** The largest configuration RobustUnit reads: far more than any real network's JSON. */
    static final int MAX_CONFIGURATION_BYTES = 16 << 20;

    /** The largest parameter file RobustUnit reads: 1 GiB, 268 million float32 parameters. */
    static final int MAX_COEFFICIENT_BYTES = 1 << 30;

    final String configuration;
    final byte[] coefficients;

    private ModelZip(String configuration, byte[] coefficients) {
        this.configuration = configuration;
        this.coefficients = coefficients;
    }

    /**
     * @param in the zip, read to its end but not closed
     * @param source the file or resource, for messages
     * @throws IOException naming the source and the problem
     */
    static ModelZip read(InputStream in, String source) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(in)) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                String name = entry.getName();
                if (entry.isDirectory()) {
                    continue;
                }
                int limit = switch (name) {
                    case CONFIGURATION -> MAX_CONFIGURATION_BYTES;
                    case COEFFICIENTS -> MAX_COEFFICIENT_BYTES;
                    case UPDATER_STATE -> -1;
                    case NO_PARAMS -> 0;
                    default -> throw refused(source, name);
                };
                if (entries.containsKey(name)) {
                    throw new IOException("model file " + source + " holds the entry " + name + " twice");
                }
                entries.put(name, limit < 0 ? new byte[0] : bounded(zip, limit, source, name));
            }
        } catch (ZipException e) {
            throw new IOException("model file " + source + " is not a valid zip (" + e + ")", e);
        }
        if (entries.isEmpty()) {
            throw new IOException("model file " + source + " is not a DL4J model zip: it holds no entries");
        }
        byte[] conf = entries.get(CONFIGURATION);
        if (conf == null) {
            throw new IOException("model file " + source + " is not a DL4J model: it has no " + CONFIGURATION
                    + " (entries: " + entries.keySet() + ")");
        }
        byte[] params = entries.get(COEFFICIENTS);
        if (params == null) {
            throw new IOException("model file " + source + " holds no parameters (" + COEFFICIENTS + ")");
        }
        return new ModelZip(new String(conf, java.nio.charset.StandardCharsets.UTF_8), params);
    }

    private static IOException refused(String source, String name) {
        String why = switch (name) {
            case "preprocessor.bin" -> "a Java-serialized data normalizer";
            case "normalizer.bin" -> "a data normalizer restored by instantiating the classes it names";
            default -> name.startsWith("objects/") ? "a Java-serialized object" : "not part of a DL4J model";
        };
        return new IOException("model file " + source + " holds the entry " + name + " (" + why + "); RobustUnit "
                + "reads only " + CONFIGURATION + " and " + COEFFICIENTS + " and never deserializes Java objects. "
                + "Save the model without it: ModelSerializer.writeModel(model, file, saveUpdater) with no normalizer");
    }

    private static byte[] bounded(InputStream in, int limit, String source, String name) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            total += n;
            if (total > limit) {
                throw new IOException("model file " + source + ": entry " + name + " inflates to more than " + limit
                        + " bytes, the most RobustUnit reads");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}
