package io.robustunit.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests, byte by byte per the format's definition. */
final class IdxFiles {

    private IdxFiles() {
    }

    static byte[] header(int typeCode, int... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length);
        b.put((byte) 0).put((byte) 0).put((byte) typeCode).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.array();
    }

    static byte[] ubyte(byte[] values, int... dims) {
        byte[] h = header(0x08, dims);
        byte[] out = new byte[h.length + values.length];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(values, 0, out, h.length, values.length);
        return out;
    }

    static byte[] floats(float[] values, int... dims) {
        byte[] h = header(0x0D, dims);
        ByteBuffer b = ByteBuffer.allocate(h.length + 4 * values.length).put(h);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    static Path write(Path dir, String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }
}
