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

    /**
     * The most data an IDX file may declare unless a caller allows more: 256 MiB, five times MNIST's training
     * images. The examples become floats, four bytes each, so this bounds a dataset at about 1 GiB in memory.
     */
    public static final long DEFAULT_MAX_BYTES = 256L << 20;

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
     * Reads an IDX file, gzipped or raw, of at most {@link #DEFAULT_MAX_BYTES} of data.
     *
     * @param file the file
     * @return its contents
     * @throws IdxFormatException if the file is missing, unreadable, truncated, larger than the limit or not
     *         valid IDX
     */
    public static IdxArray read(Path file) throws IdxFormatException {
        return read(file, DEFAULT_MAX_BYTES);
    }

    /**
     * Reads an IDX file, gzipped or raw.
     *
     * @param file the file
     * @param maxBytes the most data its header may declare, in bytes
     * @return its contents
     * @throws IdxFormatException if the file is missing, unreadable, truncated, larger than the limit or not
     *         valid IDX
     */
    public static IdxArray read(Path file, long maxBytes) throws IdxFormatException {
        String source = file.toString();
        if (Files.isDirectory(file)) {
            throw new IdxFormatException(source, "is a directory, not an IDX file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, source, maxBytes);
        } catch (NoSuchFileException e) {
            throw new IdxFormatException(source, "file not found", e);
        } catch (IdxFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new IdxFormatException(source, "cannot be read (" + e + ")", e);
        }
    }

    /**
     * Reads an IDX stream, gzipped or raw, of at most {@link #DEFAULT_MAX_BYTES} of data. The stream is read
     * up to the end of the declared data, and one byte further to check that nothing follows, but not closed.
     *
     * @param in the stream
     * @param source a name for the stream used in error messages, e.g. a classpath resource
     * @return its contents
     * @throws IdxFormatException if the stream is truncated, larger than the limit or not valid IDX
     */
    public static IdxArray read(InputStream in, String source) throws IdxFormatException {
        return read(in, source, DEFAULT_MAX_BYTES);
    }

    /**
     * Reads an IDX stream, gzipped or raw. Its header is checked before anything else is read: a header that
     * declares more than {@code maxBytes} of data is refused without allocating it, so a small compressed file
     * cannot make the reader inflate or allocate gigabytes.
     *
     * @param in the stream
     * @param source a name for the stream used in error messages, e.g. a classpath resource
     * @param maxBytes the most data the header may declare, in bytes
     * @return its contents
     * @throws IdxFormatException if the stream is truncated, larger than the limit or not valid IDX
     */
    public static IdxArray read(InputStream in, String source, long maxBytes) throws IdxFormatException {
        try {
            InputStream data = decompressIfGzipped(new BufferedInputStream(in, 1 << 16));
            Header header = header(data, source);
            long expected = header.elements() * header.type().size();
            if (expected > Math.min(maxBytes, Integer.MAX_VALUE - 8)) {
                throw new IdxFormatException(source, "declares dimensions " + Arrays.toString(header.dimensions())
                        + " of " + header.type() + ", " + expected + " bytes of data, more than the limit of " + Math.min(maxBytes, Integer.MAX_VALUE - 8)
                        + " bytes; raise it with IdxArray.read(file, maxBytes) if the file is genuine");
            }
            byte[] payload = data.readNBytes((int) expected);
            if (payload.length < expected) {
                throw new IdxFormatException(source, "truncated: dimensions " + Arrays.toString(header.dimensions())
                        + " of " + header.type() + " need " + expected + " data bytes but only " + payload.length
                        + " are present");
            }
            if (data.read() >= 0) {
                throw new IdxFormatException(source, "corrupt: unexpected bytes after the " + expected
                        + " data bytes declared by dimensions " + Arrays.toString(header.dimensions()));
            }
            return new IdxArray(source, header.type(), header.dimensions(),
                    ByteBuffer.wrap(payload).order(ByteOrder.BIG_ENDIAN));
        } catch (IdxFormatException e) {
            throw e;
        } catch (ZipException e) {
            throw new IdxFormatException(source, "corrupt gzip data (" + e.getMessage() + ")", e);
        } catch (java.io.EOFException e) {
            throw new IdxFormatException(source, "truncated gzip data", e);
        } catch (IOException e) {
            throw new IdxFormatException(source, "cannot be read (" + e + ")", e);
        }
    }

    private record Header(IdxType type, int[] dimensions, long elements) {
    }

    private static InputStream decompressIfGzipped(BufferedInputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == GZIP_MAGIC_0 && b1 == GZIP_MAGIC_1) {
            return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
        }
        return in;
    }

    private static Header header(InputStream in, String source) throws IOException {
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) {
            throw new IdxFormatException(source, "too short for an IDX header (" + magic.length + " bytes)");
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw new IdxFormatException(source, String.format(
                    "not an IDX file: magic number starts with 0x%02x%02x, expected 0x0000",
                    magic[0] & 0xff, magic[1] & 0xff));
        }
        IdxType type = IdxType.fromCode(magic[2] & 0xff);
        if (type == null) {
            throw new IdxFormatException(source, String.format(
                    "unknown IDX element type 0x%02x (expected one of 08, 09, 0B, 0C, 0D, 0E)", magic[2] & 0xff));
        }
        int rank = magic[3] & 0xff;
        if (rank == 0) {
            throw new IdxFormatException(source, "IDX header declares 0 dimensions");
        }
        byte[] sizes = in.readNBytes(4 * rank);
        if (sizes.length < 4 * rank) {
            throw new IdxFormatException(source, "truncated header: " + rank + " dimensions need " + (4 + 4 * rank)
                    + " bytes but the file has " + (4 + sizes.length));
        }
        ByteBuffer buffer = ByteBuffer.wrap(sizes).order(ByteOrder.BIG_ENDIAN);
        int[] dimensions = new int[rank];
        long elements = 1;
        for (int d = 0; d < rank; d++) {
            dimensions[d] = buffer.getInt(4 * d);
            if (dimensions[d] <= 0) {
                throw new IdxFormatException(source, "dimension " + d + " is " + dimensions[d] + ", must be positive");
            }
            elements *= dimensions[d];
            if (elements > Integer.MAX_VALUE) {
                throw new IdxFormatException(source, "dimensions " + Arrays.toString(Arrays.copyOf(dimensions, d + 1))
                        + " exceed " + Integer.MAX_VALUE + " elements");
            }
        }
        return new Header(type, dimensions, elements);
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
