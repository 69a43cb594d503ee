package io.robustunit.model.dl4j;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Set;

import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads a model's parameter vector from ND4J's binary array format: a shape buffer, then a data buffer, each a
 * header (allocation mode, length, data type) followed by its elements. Both headers are checked against the
 * bytes present and the parameter count the configuration declares before ND4J allocates anything, so a file
 * cannot make it allocate more than the file holds, and compressed or exotic buffers are refused.
 */
final class Coefficients {

    private static final Set<DataType> SHAPE_TYPES = Set.of(DataType.LONG, DataType.INT);
    private static final Set<DataType> VALUE_TYPES = Set.of(DataType.FLOAT, DataType.DOUBLE, DataType.HALF,
            DataType.BFLOAT16);
    private static final long MAX_SHAPE_LENGTH = 2 * 32 + 4;

    private record Header(long length, DataType type) {
    }

    private Coefficients() {
    }

    /**
     * @param bytes the content of {@code coefficients.bin}
     * @param expected the number of parameters the configuration declares
     * @param source the file, for messages
     * @throws IOException naming the file if the content is malformed or holds another number of parameters
     */
    static INDArray read(byte[] bytes, long expected, String source) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            Header shape = header(in, SHAPE_TYPES, source, "shape");
            if (shape.length() > MAX_SHAPE_LENGTH) {
                throw malformed(source, "its shape header declares " + shape.length() + " entries");
            }
            in.skipNBytes(shape.length() * shape.type().width());
            Header data = header(in, VALUE_TYPES, source, "data");
            if (data.length() != expected) {
                throw new IOException("model file " + source + " holds " + data.length() + " parameters but its "
                        + "configuration declares " + expected);
            }
        } catch (java.io.EOFException e) {
            throw malformed(source, "it ends early");
        }
        INDArray params;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            params = Nd4j.read(in);
        } catch (RuntimeException e) {
            throw malformed(source, e.toString());
        }
        if (params.length() != expected) {
            throw malformed(source, "it reads as " + params.length() + " values, not " + expected);
        }
        return params.reshape(1, expected);
    }

    private static Header header(DataInputStream in, Set<DataType> allowed, String source, String what)
            throws IOException {
        DataBuffer.AllocationMode mode;
        try {
            mode = DataBuffer.AllocationMode.valueOf(in.readUTF());
        } catch (IllegalArgumentException e) {
            throw malformed(source, "the " + what + " header names an unknown allocation mode");
        }
        long length = mode.ordinal() < DataBuffer.AllocationMode.LONG_SHAPE.ordinal() ? in.readInt() : in.readLong();
        DataType type;
        try {
            type = DataType.valueOf(in.readUTF());
        } catch (IllegalArgumentException e) {
            throw malformed(source, "the " + what + " header names an unknown data type");
        }
        if (!allowed.contains(type)) {
            throw malformed(source, "its " + what + " is of type " + type + ", not one of " + allowed);
        }
        if (length < 0 || length * type.width() > in.available()) {
            throw malformed(source, "its " + what + " header declares " + length + " elements of " + type
                    + " but only " + in.available() + " bytes follow");
        }
        return new Header(length, type);
    }

    private static IOException malformed(String source, String problem) {
        return new IOException("model file " + source + " has a malformed " + ModelZip.COEFFICIENTS + ": " + problem);
    }
}
