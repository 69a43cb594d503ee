package io.robustunit.model.dl4j;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Set;

/**
 * Which kind of model file a stream holds, told by its content, never its name: an HDF5 file starts with the HDF5
 * signature; a zip is a Keras archive or a DL4J model by the name of its first entry, since the two formats' entry
 * names are disjoint and every entry of either is checked later by its own reader.
 */
enum ModelFormat {

    /** A {@code ModelSerializer} zip. */
    DL4J_ZIP("DL4J model zip"),

    /** A Keras 3 {@code .keras} archive. */
    KERAS_ARCHIVE("Keras model archive (.keras)"),

    /** A Keras {@code .h5} file (or another HDF5 file, which the Keras reader refuses). */
    KERAS_HDF5("Keras HDF5 model (.h5)");

    static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private static final Set<String> KERAS_ENTRIES = Set.of("metadata.json", "config.json", "model.weights.h5",
            "model.weights.npz");

    private static final int LOCAL_HEADER = 30;

    final String description;

    ModelFormat(String description) {
        this.description = description;
    }

    /**
     * Looks at the start of the stream and resets it.
     *
     * @param in a stream that supports mark and reset
     * @param source the file or resource, for messages
     * @throws IOException naming the source if it is none of the three, e.g. empty or a SavedModel's protobuf
     */
    static ModelFormat of(BufferedInputStream in, String source) throws IOException {
        in.mark(LOCAL_HEADER + 0xffff);
        try {
            byte[] start = in.readNBytes(LOCAL_HEADER);
            if (startsWith(start, HDF5_SIGNATURE)) {
                return KERAS_HDF5;
            }
            if (startsWith(start, new byte[] {'P', 'K', 3, 4}) && start.length == LOCAL_HEADER) {
                int nameLength = (start[26] & 0xff) | (start[27] & 0xff) << 8;
                String first = new String(in.readNBytes(nameLength), StandardCharsets.UTF_8);
                return KERAS_ENTRIES.contains(first) || first.startsWith("assets/") ? KERAS_ARCHIVE : DL4J_ZIP;
            }
            throw unknown(source, start);
        } finally {
            in.reset();
        }
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static IOException unknown(String source, byte[] start) {
        if (start.length == 0) {
            return new IOException("model file " + source + " is empty");
        }
        String hex = HexFormat.ofDelimiter(" ").formatHex(start, 0, Math.min(8, start.length));
        return new IOException("model file " + source + " is not a model RobustUnit reads: it is neither a DL4J "
                + "model zip, a Keras .keras archive nor a Keras .h5 file (it starts with the bytes " + hex + "). A "
                + "TensorFlow SavedModel (saved_model.pb) is not read: save the Keras model with "
                + "model.save(\"model.keras\") or model.save(\"model.h5\")");
    }
}
