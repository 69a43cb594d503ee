package io.robustunit.model.dl4j.keras;

import static org.bytedeco.hdf5.global.hdf5.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.bytedeco.hdf5.H5E_auto2_t;
import org.bytedeco.hdf5.H5G_info_t;
import org.bytedeco.hdf5.H5L_info2_t;
import org.bytedeco.hdf5.H5O_info2_t;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;

/**
 * A read-only view of an HDF5 file through the HDF5 C library, that reads only what a Keras model needs: groups,
 * string attributes and floating-point datasets. Everything is checked before HDF5 allocates or reads it: only hard
 * links are followed (no external files), a dataset's rank, element count and filters are checked, and one whose
 * storage does not hold the data its shape declares is refused, so a small file cannot make RobustUnit allocate more
 * than it holds. HDF5's own error printing is silenced while RobustUnit reads; failures become {@link IOException}s
 * naming the file and the object. Calls hold the importer's HDF5 lock, because the HDF5 library is not thread-safe.
 */
final class Hdf5File implements AutoCloseable {

    /** The most elements one dataset may have: 268 million, 1 GiB of float32. */
    static final long MAX_ELEMENTS = 1L << 28;

    /** The most a compressed dataset may expand: deflate's limit, 1032 to 1. */
    static final long MAX_EXPANSION = 1032;

    /** The most entries a group, or strings an attribute, may have. */
    static final int MAX_ENTRIES = 1 << 20;

    /** The most characters of string attribute data RobustUnit reads: the model configuration's bound. */
    static final long MAX_STRING_BYTES = 16L << 20;

    private static final int MAX_RANK = 8;

    /** HDF5's built-in filters; any other would make HDF5 look for a plugin library on this machine. */
    private static final Set<Integer> BUILT_IN_FILTERS = Set.of(H5Z_FILTER_DEFLATE, H5Z_FILTER_SHUFFLE,
            H5Z_FILTER_FLETCHER32, H5Z_FILTER_NBIT, H5Z_FILTER_SCALEOFFSET);

    /** A dataset's values, row-major, as float32. */
    record FloatArray(long[] shape, float[] values) {
        @Override
        public String toString() {
            return Arrays.toString(shape);
        }
    }

    private final long file;
    private final String source;

    private Hdf5File(long file, String source) {
        this.file = file;
        this.source = source;
    }

    /**
     * @param path an HDF5 file
     * @param source the file or resource, for messages
     * @throws IOException naming the source if HDF5 cannot open it, e.g. because it is truncated
     */
    static Hdf5File open(Path path, String source) throws IOException {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            H5open();
            long id = quietly(() -> H5Fopen(path.toAbsolutePath().toString(), H5F_ACC_RDONLY, H5P_DEFAULT));
            if (id < 0) {
                throw new IOException("model file " + source + " starts like an HDF5 file but HDF5 cannot open it: it "
                        + "is truncated or corrupt; copy or save it again");
            }
            return new Hdf5File(id, source);
        }
    }

    /** @return whether the object at the path exists, reached by hard links only */
    boolean exists(String path) throws IOException {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            StringBuilder prefix = new StringBuilder();
            for (String part : path.split("/")) {
                if (part.isEmpty()) {
                    continue;
                }
                prefix.append(prefix.length() == 0 ? "" : "/").append(part);
                String at = prefix.toString();
                if (quietly(() -> H5Lexists(file, at, H5P_DEFAULT)) <= 0) {
                    return false;
                }
                checkHardLink(at);
            }
            return true;
        }
    }

    /** @return whether the path names a group */
    boolean isGroup(String path) throws IOException {
        return exists(path) && objectType(path) == H5O_TYPE_GROUP;
    }

    /** @return whether the path names a dataset */
    boolean isDataset(String path) throws IOException {
        return exists(path) && objectType(path) == H5O_TYPE_DATASET;
    }

    /**
     * @param group a group's path, {@code "/"} for the root
     * @return the names of its members, in HDF5's name order
     */
    List<String> children(String group) throws IOException {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            if (!group.equals("/") && !exists(group)) {
                throw malformed(group, "does not exist");
            }
            long id = check(H5Gopen2(file, group, H5P_DEFAULT), "open the group", group);
            try (H5G_info_t info = new H5G_info_t()) {
                check(H5Gget_info(id, info), "list the group", group);
                long n = info.nlinks();
                if (n > MAX_ENTRIES) {
                    throw malformed(group, "has " + n + " members, more than the " + MAX_ENTRIES + " RobustUnit reads");
                }
                List<String> names = new ArrayList<>();
                for (long i = 0; i < n; i++) {
                    names.add(linkName(id, group, i));
                }
                return names;
            } finally {
                H5Gclose(id);
            }
        }
    }

    private String linkName(long group, String where, long index) throws IOException {
        long length = check(H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, index, (byte[]) null, 0,
                H5P_DEFAULT), "list the group", where);
        if (length > 4096) {
            throw malformed(where, "has a member name of " + length + " bytes");
        }
        byte[] name = new byte[(int) length + 1];
        check(H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, index, name, name.length, H5P_DEFAULT),
                "list the group", where);
        return new String(name, 0, (int) length, StandardCharsets.UTF_8);
    }

    /**
     * Reads a string attribute: a scalar or a one-dimensional array, of variable- or fixed-length strings, as Keras
     * writes them with h5py 3 or 2.
     *
     * @param object the path of the group or dataset that carries it
     * @param name the attribute's name
     * @return its strings, or empty if the object has no such attribute
     * @throws IOException if the attribute is not a string or larger than RobustUnit reads
     */
    Optional<List<String>> strings(String object, String name) throws IOException {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            long owner = openObject(object);
            try {
                if (H5Aexists(owner, name) <= 0) {
                    return Optional.empty();
                }
                long attribute = check(H5Aopen(owner, name, H5P_DEFAULT), "open the attribute " + name + " of",
                        object);
                try {
                    return Optional.of(new Hdf5Strings(source, object + " @" + name).read(attribute));
                } finally {
                    H5Aclose(attribute);
                }
            } finally {
                H5Oclose(owner);
            }
        }
    }

    /**
     * @return whether the attribute exists and holds no strings: h5py writes an empty list as an empty float array
     */
    boolean isEmptyAttribute(String object, String name) throws IOException {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            long owner = openObject(object);
            try {
                if (H5Aexists(owner, name) <= 0) {
                    return false;
                }
                long attribute = check(H5Aopen(owner, name, H5P_DEFAULT), "open the attribute " + name + " of",
                        object);
                long space = H5Aget_space(attribute);
                try {
                    return H5Sget_simple_extent_type(space) == H5S_SIMPLE && H5Sget_simple_extent_npoints(space) == 0;
                } finally {
                    H5Sclose(space);
                    H5Aclose(attribute);
                }
            } finally {
                H5Oclose(owner);
            }
        }
    }

    /**
     * Reads a floating-point dataset as float32, after checking its shape, its filters, and that the file holds the
     * data its shape declares.
     *
     * @param path the dataset
     * @param budget the elements the caller still accepts; reduced by this dataset's
     * @throws IOException naming the dataset if it is not floating-point, too large, or not fully present
     */
    FloatArray floats(String path, long[] budget) throws IOException {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            if (!exists(path)) {
                throw malformed(path, "does not exist");
            }
            long dataset = check(H5Dopen2(file, path, H5P_DEFAULT), "open the dataset", path);
            long type = H5Dget_type(dataset);
            long space = H5Dget_space(dataset);
            try {
                if (H5Tget_class(type) != H5T_FLOAT) {
                    throw malformed(path, "is not a floating-point dataset");
                }
                long[] shape = shape(space, path);
                long count = checkedCount(shape, path, budget);
                checkStorage(dataset, count * H5Tget_size(type), path);
                float[] values = new float[(int) count];
                if (count > 0) {
                    try (FloatPointer buffer = new FloatPointer(count)) {
                        check(H5Dread(dataset, H5T_NATIVE_FLOAT_g(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer), "read",
                                path);
                        buffer.get(values);
                    }
                }
                budget[0] -= count;
                return new FloatArray(shape, values);
            } finally {
                H5Sclose(space);
                H5Tclose(type);
                H5Dclose(dataset);
            }
        }
    }

    private long[] shape(long space, String path) throws IOException {
        int kind = H5Sget_simple_extent_type(space);
        if (kind == H5S_SCALAR) {
            return new long[0];
        }
        int rank = H5Sget_simple_extent_ndims(space);
        if (kind != H5S_SIMPLE || rank < 0 || rank > MAX_RANK) {
            throw malformed(path, "has a dataspace of rank " + rank + "; RobustUnit reads arrays of rank up to "
                    + MAX_RANK);
        }
        long[] dims = new long[rank];
        check(H5Sget_simple_extent_dims(space, dims, null), "read the shape of", path);
        return dims;
    }

    private long checkedCount(long[] shape, String path, long[] budget) throws IOException {
        long count = 1;
        for (long d : shape) {
            if (d < 0 || (d > 0 && count > MAX_ELEMENTS / d)) {
                throw malformed(path, "has the shape " + Arrays.toString(shape) + ", more than " + MAX_ELEMENTS
                        + " elements");
            }
            count *= d;
        }
        if (count > budget[0]) {
            throw malformed(path, "has the shape " + Arrays.toString(shape) + ": with the datasets read before it, "
                    + "more than the " + MAX_ELEMENTS + " weights RobustUnit reads from one model");
        }
        return count;
    }

    /** Refuses virtual and external storage, unknown filters, and storage smaller than the declared data. */
    private void checkStorage(long dataset, long bytes, String path) throws IOException {
        long plist = H5Dget_create_plist(dataset);
        try {
            int layout = H5Pget_layout(plist);
            if (layout != H5D_CONTIGUOUS && layout != H5D_COMPACT && layout != H5D_CHUNKED) {
                throw malformed(path, "is a virtual dataset, whose data lives in other files");
            }
            if (H5Pget_external_count(plist) != 0) {
                throw malformed(path, "keeps its data in external files");
            }
            int filters = H5Pget_nfilters(plist);
            for (int i = 0; i < filters; i++) {
                int[] flags = new int[1];
                int id = H5Pget_filter2(plist, i, flags, null, (int[]) null, 0, (byte[]) null, (int[]) null);
                if (!BUILT_IN_FILTERS.contains(id)) {
                    throw malformed(path, "is stored with the HDF5 filter " + id + ", which is not built into HDF5");
                }
            }
            long stored = H5Dget_storage_size(dataset);
            if (filters == 0 && stored < bytes) {
                throw malformed(path, "holds " + stored + " bytes but its shape declares " + bytes
                        + "; the file is truncated or corrupt");
            }
            // compressed data: unwritten chunks (which HDF5 would fill in) or a deflate bomb could make a few bytes
            // of file declare gigabytes; deflate cannot expand data more than 1032-fold, so neither can a real file
            if (filters > 0 && bytes > 0 && (stored <= 0 || bytes / stored > MAX_EXPANSION)) {
                throw malformed(path, "holds " + stored + " compressed bytes but its shape declares " + bytes
                        + ", more than the " + MAX_EXPANSION + "-fold expansion deflate allows; the file is corrupt or "
                        + "crafted");
            }
        } finally {
            H5Pclose(plist);
        }
    }

    private int objectType(String path) throws IOException {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            try (H5O_info2_t info = new H5O_info2_t()) {
                check(H5Oget_info_by_name3(file, path, info, H5O_INFO_BASIC, H5P_DEFAULT), "inspect", path);
                return info.type();
            }
        }
    }

    private long openObject(String path) throws IOException {
        if (!path.equals("/") && !exists(path)) {
            throw malformed(path, "does not exist");
        }
        return check(H5Oopen(file, path, H5P_DEFAULT), "open", path);
    }

    private void checkHardLink(String path) throws IOException {
        try (H5L_info2_t info = new H5L_info2_t()) {
            check(H5Lget_info2(file, path, info, H5P_DEFAULT), "inspect the link", path);
            if (info.type() != H5L_TYPE_HARD) {
                throw malformed(path, "is a soft or external link; RobustUnit follows only the file's own objects");
            }
        }
    }

    private long check(long result, String action, String path) throws IOException {
        if (result < 0) {
            throw new IOException("model file " + source + ": HDF5 cannot " + action + " " + path + "; the file is "
                    + "truncated or corrupt");
        }
        return result;
    }

    private IOException malformed(String path, String problem) {
        return new IOException("model file " + source + ": the HDF5 object " + path + " " + problem);
    }

    @Override
    public void close() {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            H5Fclose(file);
        }
    }

    /** Runs an HDF5 call with the library's error printing off, restoring it afterwards. */
    private static long quietly(java.util.function.LongSupplier call) {
        try (H5E_auto2_t function = new H5E_auto2_t((Pointer) null); PointerPointer<Pointer> data =
                new PointerPointer<>(1)) {
            H5Eget_auto2(H5E_DEFAULT, function, data);
            H5Eset_auto2(H5E_DEFAULT, null, null);
            try {
                return call.getAsLong();
            } finally {
                H5Eset_auto2(H5E_DEFAULT, function, data.get());
            }
        }
    }
}
