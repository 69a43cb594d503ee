package io.robustunit.example.mnist;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

import io.robustunit.data.IdxArray;
import io.robustunit.data.LabelledDataset;

/**
 * The MNIST training and test sets. The four canonical gzipped IDX files ship inside this module (see
 * {@code mnist/SOURCE.txt} for their origin and licence, CC BY-SA 3.0) and are checked against their
 * published SHA-256 on every load, so nothing is downloaded and a damaged copy is reported, not used.
 * Any directory of MNIST-format files (Fashion-MNIST, KMNIST, ...) can be read instead.
 */
public final class MnistData {

    /** The number of MNIST classes. */
    public static final int CLASSES = 10;

    /** Pixels per image, 28 × 28. */
    public static final int PIXELS = 28 * 28;

    private static final String RESOURCE_DIR = "/mnist/";
    private static final String TRAIN_IMAGES = "train-images-idx3-ubyte.gz";
    private static final String TRAIN_LABELS = "train-labels-idx1-ubyte.gz";
    private static final String TEST_IMAGES = "t10k-images-idx3-ubyte.gz";
    private static final String TEST_LABELS = "t10k-labels-idx1-ubyte.gz";

    /** The published SHA-256 of each bundled file. */
    static final Map<String, String> SHA256 = Map.of(
            TRAIN_IMAGES, "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
            TRAIN_LABELS, "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
            TEST_IMAGES, "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
            TEST_LABELS, "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6");

    private MnistData() {
    }

    /**
     * @return the 10,000 bundled MNIST test images, pixels scaled to {@code [0, 1]}
     * @throws IOException if a bundled file is missing or fails its checksum
     */
    public static LabelledDataset test() throws IOException {
        return bundled(TEST_IMAGES, TEST_LABELS, "MNIST test");
    }

    /**
     * @return the 60,000 bundled MNIST training images, pixels scaled to {@code [0, 1]}
     * @throws IOException if a bundled file is missing or fails its checksum
     */
    public static LabelledDataset train() throws IOException {
        return bundled(TRAIN_IMAGES, TRAIN_LABELS, "MNIST train");
    }

    /**
     * Reads the test set from a directory of MNIST-format files ({@code t10k-images-idx3-ubyte} and
     * {@code t10k-labels-idx1-ubyte}, gzipped or not, dash or dot before {@code idx}).
     *
     * @param dir the directory
     * @return the test set, named after the directory
     * @throws IOException if a file is missing or invalid
     */
    public static LabelledDataset test(Path dir) throws IOException {
        return fromDirectory(dir, "t10k", "test");
    }

    /**
     * Reads the training set from a directory of MNIST-format files.
     *
     * @param dir the directory
     * @return the training set, named after the directory
     * @throws IOException if a file is missing or invalid
     */
    public static LabelledDataset train(Path dir) throws IOException {
        return fromDirectory(dir, "train", "train");
    }

    private static LabelledDataset bundled(String images, String labels, String name) throws IOException {
        return LabelledDataset.fromIdx(readVerified(images), readVerified(labels), name, CLASSES);
    }

    private static IdxArray readVerified(String file) throws IOException {
        String resource = RESOURCE_DIR + file;
        byte[] bytes;
        try (InputStream in = MnistData.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("bundled MNIST file " + resource + " is not on the classpath");
            }
            bytes = in.readAllBytes();
        }
        return verified(resource, bytes, SHA256.get(file));
    }

    /** Parses {@code bytes} as IDX after checking that their SHA-256 is {@code expectedSha256}. */
    static IdxArray verified(String source, byte[] bytes, String expectedSha256) throws IOException {
        String actual = sha256(bytes);
        if (!actual.equals(expectedSha256)) {
            throw new IOException(source + ": SHA-256 is " + actual + " but the published MNIST file has "
                    + expectedSha256 + "; the bundled copy is damaged");
        }
        return IdxArray.read(new ByteArrayInputStream(bytes), source);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static LabelledDataset fromDirectory(Path dir, String stem, String split) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("data directory " + dir + " does not exist");
        }
        Path images = find(dir, stem + "-images", "idx3-ubyte");
        Path labels = find(dir, stem + "-labels", "idx1-ubyte");
        return LabelledDataset.fromIdx(IdxArray.read(images), IdxArray.read(labels), dir.getFileName() + " " + split, 0);
    }

    private static Path find(Path dir, String stem, String kind) throws IOException {
        for (String name : new String[] {stem + "-" + kind, stem + "." + kind}) {
            for (String suffix : new String[] {"", ".gz"}) {
                Path candidate = dir.resolve(name + suffix);
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
            }
        }
        throw new IOException("data directory " + dir + " has no " + stem + "-" + kind + "[.gz]");
    }
}
