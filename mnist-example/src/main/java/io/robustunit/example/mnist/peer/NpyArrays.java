package io.robustunit.example.mnist.peer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads little-endian float32, C-order {@code .npy} files (NumPy format versions 1 to 3). */
public final class NpyArrays {

    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    private NpyArrays() {
    }

    /**
     * @param shape the dimensions
     * @param values the elements in row-major order
     */
    public record Array(int[] shape, float[] values) {
    }

    /**
     * @param file a {@code .npy} file of float32 values
     * @return its shape and values
     * @throws IOException naming the file if it is missing or not float32 in C order
     */
    public static Array read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + " does not exist");
        }
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < 12 || (bytes[0] & 0xff) != 0x93
                || !new String(bytes, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
            throw new IOException(file + ": not a .npy file");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int major = bytes[6];
        int headerLength = major == 1 ? b.getShort(8) & 0xffff : b.getInt(8);
        int headerStart = major == 1 ? 10 : 12;
        String header = new String(bytes, headerStart, headerLength, StandardCharsets.US_ASCII);
        if (!header.contains("'descr': '<f4'") || !header.contains("'fortran_order': False")) {
            throw new IOException(file + ": expected little-endian float32 in C order but the header is " + header.trim());
        }
        Matcher m = SHAPE.matcher(header);
        if (!m.find()) {
            throw new IOException(file + ": no shape in header " + header.trim());
        }
        int[] shape = Arrays.stream(m.group(1).split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .mapToInt(Integer::parseInt).toArray();
        int size = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        int dataStart = headerStart + headerLength;
        if (bytes.length - dataStart != 4L * size) {
            throw new IOException(file + ": shape " + Arrays.toString(shape) + " needs " + 4L * size
                    + " data bytes but the file has " + (bytes.length - dataStart));
        }
        float[] values = new float[size];
        b.position(dataStart);
        b.asFloatBuffer().get(values);
        return new Array(shape, values);
    }
}
