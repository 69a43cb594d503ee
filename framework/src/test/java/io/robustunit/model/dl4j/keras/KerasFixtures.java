package io.robustunit.model.dl4j.keras;

import static org.bytedeco.hdf5.global.hdf5.*;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;

/**
 * The Keras fixtures of the example module ({@code mnist-example/keras-fixtures/generate.py} writes them as Keras 2
 * and 3 save models), and copies of them changed the way a broken or hostile file would be: an edited
 * {@code config.json}, an extra archive entry, an HDF5 object replaced through the HDF5 library itself.
 */
final class KerasFixtures {

    static final Path DIRECTORY = Path.of("../mnist-example/src/test/resources/keras");

    private KerasFixtures() {
    }

    static Path path(String name) {
        Path file = DIRECTORY.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("missing Keras fixture " + file.toAbsolutePath());
        }
        return file;
    }

    /** @return a copy of a {@code .keras} archive with its {@code config.json} edited and extra entries added */
    static Path archive(Path dir, String fixture, UnaryOperator<String> config, Map<String, String> extra)
            throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(path(fixture)))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                entries.put(entry.getName(), in.readAllBytes());
            }
        }
        String json = new String(entries.get("config.json"), StandardCharsets.UTF_8);
        String edited = config.apply(json);
        if (edited.equals(json) && extra.isEmpty()) {
            throw new IllegalArgumentException("the edit changed nothing in " + fixture);
        }
        entries.put("config.json", edited.getBytes(StandardCharsets.UTF_8));
        extra.forEach((name, text) -> entries.put(name, text.getBytes(StandardCharsets.UTF_8)));
        Path file = Files.createTempFile(dir, "edited-", ".keras");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return file;
    }

    /** Changes a copy of an HDF5 fixture through the HDF5 library. */
    @FunctionalInterface
    interface Edit {
        void apply(long file);
    }

    static Path hdf5(Path dir, String fixture, Edit edit) throws IOException {
        Path file = Files.createTempFile(dir, "edited-", ".h5");
        try (InputStream in = Files.newInputStream(path(fixture)); OutputStream out = Files.newOutputStream(file)) {
            in.transferTo(out);
        }
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            H5open();
            long id = H5Fopen(file.toString(), H5F_ACC_RDWR, H5P_DEFAULT);
            if (id < 0) {
                throw new IOException("cannot open " + file);
            }
            try {
                edit.apply(id);
            } finally {
                H5Fclose(id);
            }
        }
        return file;
    }

    /** Replaces a dataset by a float32 one of the given shape whose data is never written: it has no storage. */
    static void hollowDataset(long file, String path, long... shape) {
        check(H5Ldelete(file, path, H5P_DEFAULT), "delete " + path);
        long space = H5Screate_simple(shape.length, shape, null);
        long dataset = H5Dcreate2(file, path, H5T_IEEE_F32LE_g(), space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        check(dataset, "create " + path);
        H5Dclose(dataset);
        H5Sclose(space);
    }

    /** Like {@link #hollowDataset}, but chunked and deflate-compressed, with no chunk written: HDF5 fills it in. */
    static void hollowCompressedDataset(long file, String path, long... shape) {
        check(H5Ldelete(file, path, H5P_DEFAULT), "delete " + path);
        long space = H5Screate_simple(shape.length, shape, null);
        long plist = H5Pcreate(H5P_CLS_DATASET_CREATE_ID_g());
        check(H5Pset_chunk(plist, shape.length, shape), "chunk " + path);
        check(H5Pset_deflate(plist, 6), "compress " + path);
        long dataset = H5Dcreate2(file, path, H5T_IEEE_F32LE_g(), space, H5P_DEFAULT, plist, H5P_DEFAULT);
        check(dataset, "create " + path);
        H5Dclose(dataset);
        H5Pclose(plist);
        H5Sclose(space);
    }

    static void check(long result, String what) {
        if (result < 0) {
            throw new IllegalStateException("HDF5 could not " + what);
        }
    }
}
