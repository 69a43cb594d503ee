package io.robustunit.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxArrayTest {

    @TempDir
    Path dir;

    @Test
    void readsRawUnsignedBytesWithDimensionsAndValues() throws IOException {
        byte[] pixels = {0, 1, (byte) 128, (byte) 255, 7, 9};
        Path file = IdxFiles.write(dir, "images", IdxFiles.ubyte(pixels, 3, 1, 2));

        IdxArray idx = IdxArray.read(file);

        assertThat(idx.type()).isEqualTo(IdxType.UNSIGNED_BYTE);
        assertThat(idx.dimensions()).containsExactly(3, 1, 2);
        assertThat(idx.count()).isEqualTo(3);
        assertThat(idx.itemSize()).isEqualTo(2);
        assertThat(idx.toFloats(1f)).containsExactly(0f, 1f, 128f, 255f, 7f, 9f);
        assertThat(idx.toFloats(255f)[3]).isEqualTo(1f);
    }

    @Test
    void gzippedFileGivesTheSameContentsAsRaw() throws IOException {
        byte[] raw = IdxFiles.ubyte(new byte[] {3, 1, 4, 1, 5}, 5);
        IdxArray plain = IdxArray.read(IdxFiles.write(dir, "raw", raw));
        IdxArray zipped = IdxArray.read(IdxFiles.write(dir, "zipped.bin", IdxFiles.gzip(raw)));

        assertThat(zipped.toInts()).containsExactly(plain.toInts()).containsExactly(3, 1, 4, 1, 5);
    }

    @Test
    void readsBigEndianFloatsShortsAndInts() throws IOException {
        IdxArray floats = IdxArray.read(IdxFiles.write(dir, "f", IdxFiles.floats(new float[] {0.5f, -2f}, 2)));
        assertThat(floats.type()).isEqualTo(IdxType.FLOAT);
        assertThat(floats.toFloats(0.5f)).containsExactly(1f, -4f);

        byte[] h = IdxFiles.header(0x0B, 2);
        byte[] shorts = ByteBuffer.allocate(h.length + 4).put(h).putShort((short) -3).putShort((short) 300).array();
        assertThat(IdxArray.read(IdxFiles.write(dir, "s", shorts)).toInts()).containsExactly(-3, 300);

        byte[] hi = IdxFiles.header(0x0C, 1);
        byte[] ints = ByteBuffer.allocate(hi.length + 4).put(hi).putInt(123456).array();
        assertThat(IdxArray.read(IdxFiles.write(dir, "i", ints)).toInts()).containsExactly(123456);
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("nope-idx1-ubyte.gz");
        assertThatThrownBy(() -> IdxArray.read(missing))
                .isInstanceOf(IdxFormatException.class)
                .hasMessage(missing + ": file not found");
    }

    @Test
    void wrongMagicNumberIsRejected() throws IOException {
        byte[] bytes = IdxFiles.ubyte(new byte[] {1}, 1);
        bytes[1] = 0x42;
        Path file = IdxFiles.write(dir, "bad", bytes);
        assertThatThrownBy(() -> IdxArray.read(file))
                .hasMessage(file + ": not an IDX file: magic number starts with 0x0042, expected 0x0000");
    }

    @Test
    void unknownElementTypeIsRejected() throws IOException {
        Path file = IdxFiles.write(dir, "type", IdxFiles.header(0x07, 1));
        assertThatThrownBy(() -> IdxArray.read(file))
                .hasMessage(file + ": unknown IDX element type 0x07 (expected one of 08, 09, 0B, 0C, 0D, 0E)");
    }

    @Test
    void nonPositiveDimensionIsRejected() throws IOException {
        Path file = IdxFiles.write(dir, "dims", IdxFiles.header(0x08, 2, 0));
        assertThatThrownBy(() -> IdxArray.read(file)).hasMessage(file + ": dimension 1 is 0, must be positive");
    }

    @Test
    void truncatedHeaderIsRejected() throws IOException {
        byte[] header = IdxFiles.header(0x08, 10, 28, 28);
        Path file = IdxFiles.write(dir, "short-header", Arrays.copyOf(header, 9));
        assertThatThrownBy(() -> IdxArray.read(file))
                .hasMessage(file + ": truncated header: 3 dimensions need 16 bytes but the file has 9");
    }

    @Test
    void truncatedDataIsRejectedWithSizes() throws IOException {
        byte[] full = IdxFiles.ubyte(new byte[12], 3, 2, 2);
        Path file = IdxFiles.write(dir, "truncated", Arrays.copyOf(full, full.length - 5));
        assertThatThrownBy(() -> IdxArray.read(file))
                .hasMessage(file + ": truncated: dimensions [3, 2, 2] of UNSIGNED_BYTE need 12 data bytes but only 7 are present");
    }

    @Test
    void trailingBytesAreRejected() throws IOException {
        byte[] full = IdxFiles.ubyte(new byte[4], 4);
        Path file = IdxFiles.write(dir, "long", Arrays.copyOf(full, full.length + 3));
        assertThatThrownBy(() -> IdxArray.read(file))
                .hasMessage(file + ": corrupt: unexpected bytes after the 4 data bytes declared by dimensions [4]");
    }

    @Test
    void truncatedGzipIsRejected() throws IOException {
        byte[] gz = IdxFiles.gzip(IdxFiles.ubyte(new byte[1000], 1000));
        Path file = IdxFiles.write(dir, "cut.gz", Arrays.copyOf(gz, gz.length / 2));
        assertThatThrownBy(() -> IdxArray.read(file))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageStartingWith(file + ": ")
                .hasMessageContaining("gzip");
    }

    @Test
    void corruptGzipIsRejected() throws IOException {
        byte[] gz = IdxFiles.gzip(IdxFiles.ubyte(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, 8));
        for (int i = 10; i < gz.length - 8; i++) {
            gz[i] ^= (byte) 0x5a;
        }
        Path file = IdxFiles.write(dir, "corrupt.gz", gz);
        assertThatThrownBy(() -> IdxArray.read(file))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageStartingWith(file + ": corrupt gzip data");
    }

    @Test
    void fractionalLabelsAreNotIntegers() throws IOException {
        Path file = IdxFiles.write(dir, "frac", IdxFiles.floats(new float[] {1f, 2.5f}, 2));
        IdxArray idx = IdxArray.read(file);
        assertThatThrownBy(idx::toInts).hasMessage(file + ": element 1 is 2.5, not a whole number");
    }

    @Test
    void aDecompressionBombIsRefusedFromItsHeaderBeforeAnythingIsAllocated() throws IOException {
        // 60000 x 100 x 100 unsigned bytes: 600 MB of zeros, which gzip shrinks to about 600 KB
        Path bomb = dir.resolve("bomb-idx3-ubyte.gz");
        try (java.io.OutputStream out = new java.util.zip.GZIPOutputStream(java.nio.file.Files.newOutputStream(bomb))) {
            out.write(IdxFiles.header(0x08, 60_000, 100, 100));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 600; i++) {
                out.write(zeros);
            }
        }
        assertThat(java.nio.file.Files.size(bomb)).isLessThan(1_000_000);

        assertThatThrownBy(() -> IdxArray.read(bomb)).isInstanceOf(IdxFormatException.class).hasMessage(bomb
                + ": declares dimensions [60000, 100, 100] of UNSIGNED_BYTE, 600000000 bytes of data, more than the "
                + "limit of 268435456 bytes; raise it with IdxArray.read(file, maxBytes) if the file is genuine");
    }

    @Test
    void theLimitCanBeRaisedOrLowered() throws IOException {
        Path file = IdxFiles.write(dir, "small", IdxFiles.ubyte(new byte[] {1, 2, 3, 4}, 2, 2));
        assertThat(IdxArray.read(file, 4).toInts()).containsExactly(1, 2, 3, 4);
        assertThatThrownBy(() -> IdxArray.read(file, 3)).hasMessageContaining("4 bytes of data, more than the limit of 3");
    }

    @Test
    void aSmallHeaderFollowedByAFloodIsRefusedAfterOneExtraByte() throws IOException {
        // the header declares 4 bytes; 100 MB of zeros follow, which the reader must not inflate
        Path flood = dir.resolve("flood.gz");
        try (java.io.OutputStream out = new java.util.zip.GZIPOutputStream(java.nio.file.Files.newOutputStream(flood))) {
            out.write(IdxFiles.ubyte(new byte[] {1, 2, 3, 4}, 4));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 100; i++) {
                out.write(zeros);
            }
        }
        assertThatThrownBy(() -> IdxArray.read(flood)).hasMessage(flood
                + ": corrupt: unexpected bytes after the 4 data bytes declared by dimensions [4]");
    }

    @Test
    void aDirectoryIsNamedAsOne() {
        assertThatThrownBy(() -> IdxArray.read(dir)).hasMessage(dir + ": is a directory, not an IDX file");
    }
}
