package io.robustunit.model.dl4j.keras;

import static org.bytedeco.hdf5.global.hdf5.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Reads one HDF5 string attribute as Keras writes them: a scalar or a one-dimensional array, of variable-length
 * strings (h5py 3) or fixed-length ones (h5py 2). The number of strings and their total size are bounded before
 * anything is copied; the caller holds the HDF5 lock.
 */
final class Hdf5Strings {

    private final String source;
    private final String where;

    /**
     * @param source the file, for messages
     * @param where the attribute, for messages: {@code object @name}
     */
    Hdf5Strings(String source, String where) {
        this.source = source;
        this.where = where;
    }

    /** @return the attribute's strings, decoded as UTF-8 (ASCII is a subset) */
    List<String> read(long attribute) throws IOException {
        long type = H5Aget_type(attribute);
        long space = H5Aget_space(attribute);
        try {
            if (H5Tget_class(type) != H5T_STRING) {
                throw malformed("is not a string attribute");
            }
            long count = H5Sget_simple_extent_npoints(space);
            if (count < 0 || count > Hdf5File.MAX_ENTRIES) {
                throw malformed("holds " + count + " strings, more than the " + Hdf5File.MAX_ENTRIES + " RobustUnit "
                        + "reads");
            }
            return H5Tis_variable_str(type) > 0 ? variable(attribute, type, space, (int) count)
                    : fixed(attribute, type, (int) count);
        } finally {
            H5Sclose(space);
            H5Tclose(type);
        }
    }

    private List<String> variable(long attribute, long type, long space, int count) throws IOException {
        long memory = H5Tcopy(H5T_C_S1_g());
        try (PointerPointer<BytePointer> pointers = new PointerPointer<>(count)) {
            H5Tset_size(memory, H5T_VARIABLE);
            // HDF5 does not convert between character sets; ASCII is UTF-8 anyway
            H5Tset_cset(memory, H5Tget_cset(type));
            check(H5Aread(attribute, memory, pointers));
            try {
                List<String> strings = new ArrayList<>();
                long total = 0;
                for (int i = 0; i < count; i++) {
                    BytePointer p = pointers.get(BytePointer.class, i);
                    if (p == null || p.isNull()) {
                        strings.add("");
                        continue;
                    }
                    long length = strlen(p, Hdf5File.MAX_STRING_BYTES - total);
                    total += length;
                    byte[] bytes = new byte[(int) length];
                    p.capacity(length).get(bytes);
                    strings.add(new String(bytes, StandardCharsets.UTF_8));
                }
                return strings;
            } finally {
                H5Treclaim(memory, space, H5P_DEFAULT, pointers);
            }
        } finally {
            H5Tclose(memory);
        }
    }

    private long strlen(BytePointer p, long limit) throws IOException {
        for (long i = 0; ; i++) {
            if (i > limit) {
                throw malformed("holds more than " + Hdf5File.MAX_STRING_BYTES + " bytes of strings, the most RobustUnit "
                        + "reads");
            }
            if (p.get(i) == 0) {
                return i;
            }
        }
    }

    private List<String> fixed(long attribute, long type, int count) throws IOException {
        long size = H5Tget_size(type);
        if (size <= 0 || size * count > Hdf5File.MAX_STRING_BYTES) {
            throw malformed("holds " + count + " strings of " + size + " bytes, more than the "
                    + Hdf5File.MAX_STRING_BYTES + " bytes RobustUnit reads");
        }
        try (BytePointer buffer = new BytePointer(size * count)) {
            check(H5Aread(attribute, type, buffer));
            byte[] bytes = new byte[(int) (size * count)];
            buffer.get(bytes);
            List<String> strings = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int from = (int) (i * size);
                int end = from;
                while (end < from + size && bytes[end] != 0) {
                    end++;
                }
                strings.add(new String(bytes, from, end - from, StandardCharsets.UTF_8).stripTrailing());
            }
            return strings;
        }
    }


    private void check(int result) throws IOException {
        if (result < 0) {
            throw new IOException("model file " + source + ": HDF5 cannot read " + where + "; the file is truncated or "
                    + "corrupt");
        }
    }

    private IOException malformed(String problem) {
        return new IOException("model file " + source + ": the HDF5 attribute " + where + " " + problem);
    }
}
