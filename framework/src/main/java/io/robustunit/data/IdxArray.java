package io.robustunit.data;

import static org.apiguardian.api.API.Status.STABLE;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import org.apiguardian.api.API;

/**
 * The contents of one IDX file (the format of MNIST, Fashion-MNIST, EMNIST and KMNIST): an element type,
 * a list of dimensions and the elements in row-major order. Gzipped and raw files are both read; which
 * one a file is comes from its first bytes, not its name.
 *
 * <p>The whole file is validated while reading: the magic number, a known element type, positive
 * dimensions and a payload of exactly the declared size. Any violation is an {@link IdxFormatException}
 * that names the file and the problem.
 */
@API(status = STABLE, since = "0.1")
public final class IdxArray {

    private static final int GZIP_MAGIC_0 = 0x1f;
    private static final int GZIP_MAGIC_1 = 0x8b;

    private final String source;
    private final IdxType type;
    private final int[] dimensions;
    private final ByteBuffer payload;

    private IdxArray(String source, IdxType type, int[] dimensions, ByteBuffer payload) {
        this.source = source;
        this.type = type;
        this.dimensions = dimensions;
        this.payload = payload;
    }

    /**
     * Reads an IDX file, gzipped or raw.
     *
     * @param file the file
     * @return its contents
     * @throws IdxFormatException if the file is missing, unreadable, truncated or not valid IDX
     */
    public static IdxArray read(Path file) throws IdxFormatException {
        String source = file.toString();
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, source);
        } catch (NoSuchFileException e) {
            throw new IdxFormatException(source, "file not found", e);
        } catch (IdxFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new IdxFormatException(source, "cannot be read (" + e + ")", e);
        }
    }

    /**
     * Reads an IDX stream, gzipped or raw. The stream is read to its end but not closed.
     *
     * @param in the stream
     * @param source a name for the stream used in error messages, e.g. a classpath resource
     * @return its contents
     * @throws IdxFormatException if the stream is truncated or not valid IDX
     */
    public static IdxArray read(InputStream in, String source) throws IdxFormatException {
        byte[] bytes;
        try {
            bytes = decompressIfGzipped(new BufferedInputStream(in, 1 << 16), source).readAllBytes();
        } catch (ZipException e) {
            throw new IdxFormatException(source, "corrupt gzip data (" + e.getMessage() + ")", e);
        } catch (java.io.EOFException e) {
            throw new IdxFormatException(source, "truncated gzip data", e);
        } catch (IOException e) {
            throw new IdxFormatException(source, "cannot be read (" + e + ")", e);
        }
        return parse(bytes, source);
    }

    private static InputStream decompressIfGzipped(BufferedInputStream in, String source) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == GZIP_MAGIC_0 && b1 == GZIP_MAGIC_1) {
            return new GZIPInputStream(in, 1 << 16);
        }
        return in;
    }

    private static IdxArray parse(byte[] bytes, String source) throws IdxFormatException {
        if (bytes.length < 4) {
            throw new IdxFormatException(source, "too short for an IDX header (" + bytes.length + " bytes)");
        }
        if (bytes[0] != 0 || bytes[1] != 0) {
            throw new IdxFormatException(source, String.format(
                    "not an IDX file: magic number starts with 0x%02x%02x, expected 0x0000",
                    bytes[0] & 0xff, bytes[1] & 0xff));
        }
        IdxType type = IdxType.fromCode(bytes[2] & 0xff);
        if (type == null) {
            throw new IdxFormatException(source, String.format(
                    "unknown IDX element type 0x%02x (expected one of 08, 09, 0B, 0C, 0D, 0E)", bytes[2] & 0xff));
        }
        int rank = bytes[3] & 0xff;
        if (rank == 0) {
            throw new IdxFormatException(source, "IDX header declares 0 dimensions");
        }
        int headerSize = 4 + 4 * rank;
        if (bytes.length < headerSize) {
            throw new IdxFormatException(source, "truncated header: " + rank + " dimensions need " + headerSize
                    + " bytes but the file has " + bytes.length);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        int[] dimensions = new int[rank];
        long elements = 1;
        for (int d = 0; d < rank; d++) {
            dimensions[d] = buffer.getInt(4 + 4 * d);
            if (dimensions[d] <= 0) {
                throw new IdxFormatException(source, "dimension " + d + " is " + dimensions[d] + ", must be positive");
            }
            elements *= dimensions[d];
            if (elements > Integer.MAX_VALUE) {
                throw new IdxFormatException(source, "dimensions " + Arrays.toString(Arrays.copyOf(dimensions, d + 1))
                        + " exceed " + Integer.MAX_VALUE + " elements");
            }
        }
        long expected = elements * type.size();
        long actual = bytes.length - (long) headerSize;
        if (actual < expected) {
            throw new IdxFormatException(source, "truncated: dimensions " + Arrays.toString(dimensions) + " of "
                    + type + " need " + expected + " data bytes but only " + actual + " are present");
        }
        if (actual > expected) {
            throw new IdxFormatException(source, "corrupt: " + (actual - expected) + " unexpected bytes after the "
                    + expected + " data bytes declared by dimensions " + Arrays.toString(dimensions));
        }
        ByteBuffer payload = ByteBuffer.wrap(bytes, headerSize, (int) expected).slice().order(ByteOrder.BIG_ENDIAN);
        return new IdxArray(source, type, dimensions, payload);
    }

    /** @return where the data came from, as used in error messages */
    public String source() {
        return source;
    }

    /** @return the element type */
    public IdxType type() {
        return type;
    }

    /** @return a copy of the dimensions, outermost first */
    public int[] dimensions() {
        return dimensions.clone();
    }

    /** @return the number of items: the first dimension */
    public int count() {
        return dimensions[0];
    }

    /** @return the number of elements in one item: the product of all but the first dimension */
    public int itemSize() {
        int size = 1;
        for (int d = 1; d < dimensions.length; d++) {
            size *= dimensions[d];
        }
        return size;
    }

    /** @return the total number of elements */
    public int elementCount() {
        return count() * itemSize();
    }

    /**
     * @param index the position of an element in row-major order
     * @return its value as a double
     */
    public double value(int index) {
        return switch (type) {
            case UNSIGNED_BYTE -> payload.get(index) & 0xff;
            case SIGNED_BYTE -> payload.get(index);
            case SHORT -> payload.getShort(2 * index);
            case INT -> payload.getInt(4 * index);
            case FLOAT -> payload.getFloat(4 * index);
            case DOUBLE -> payload.getDouble(8 * index);
        };
    }

    /**
     * Returns every element divided by {@code divisor} in float arithmetic, e.g. {@code 255} to map bytes to
     * {@code [0, 1]} exactly as {@code numpy}'s {@code x.astype(float32) / 255} does.
     *
     * @param divisor the divisor
     * @return the scaled elements in row-major order
     */
    public float[] toFloats(float divisor) {
        int n = elementCount();
        float[] out = new float[n];
        if (type == IdxType.UNSIGNED_BYTE) {
            float[] lookup = new float[256];
            for (int v = 0; v < 256; v++) {
                lookup[v] = v / divisor;
            }
            for (int i = 0; i < n; i++) {
                out[i] = lookup[payload.get(i) & 0xff];
            }
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = (float) value(i) / divisor;
            }
        }
        return out;
    }

    /**
     * Returns every element as an int, as needed for labels.
     *
     * @return the elements in row-major order
     * @throws IdxFormatException if the type is floating point and an element is not a whole number
     */
    public int[] toInts() throws IdxFormatException {
        int n = elementCount();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            double v = value(i);
            if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
                throw new IdxFormatException(source, "element " + i + " is " + v + ", not a whole number");
            }
            out[i] = (int) v;
        }
        return out;
    }

    @Override
    public String toString() {
        return "IdxArray[" + source + ", " + type + " " + Arrays.toString(dimensions) + "]";
    }
}
