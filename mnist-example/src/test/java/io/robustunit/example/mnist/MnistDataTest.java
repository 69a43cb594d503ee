package io.robustunit.example.mnist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.robustunit.data.InputRange;
import io.robustunit.data.LabelledDataset;

class MnistDataTest {

    private static LabelledDataset test;
    private static LabelledDataset train;

    @BeforeAll
    static void load() throws IOException {
        test = MnistData.test();
        train = MnistData.train();
    }

    @Test
    void bundledSetsHaveTheCanonicalCountsAndShape() {
        assertThat(train.size()).isEqualTo(60_000);
        assertThat(test.size()).isEqualTo(10_000);
        assertThat(test.featureCount()).isEqualTo(784);
        assertThat(test.numClasses()).isEqualTo(10);
        assertThat(test.range()).isEqualTo(InputRange.UNIT);
    }

    @Test
    void labelHistogramsMatchThePublishedOnes() {
        assertThat(test.classCounts()).containsExactly(980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009);
        assertThat(train.classCounts()).containsExactly(5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949);
    }

    @Test
    void pixelsAreBytesOver255() {
        // test image 0 is a 7; its row 7 (pixels 196..223) holds its top stroke
        float max = 0;
        for (int i = 0; i < 784; i++) {
            float v = test.feature(0, i);
            assertThat(v * 255f).isEqualTo((float) Math.round(v * 255f));
            max = Math.max(max, v);
        }
        assertThat(test.label(0)).isEqualTo(7);
        assertThat(max).isEqualTo(1f);
    }

    @Test
    void damagedBytesFailTheChecksumWithAClearMessage() throws IOException {
        byte[] bytes;
        try (InputStream in = MnistData.class.getResourceAsStream("/mnist/t10k-labels-idx1-ubyte.gz")) {
            bytes = in.readAllBytes();
        }
        bytes[bytes.length / 2] ^= 1;
        byte[] damaged = bytes;
        assertThatThrownBy(() -> MnistData.verified("/mnist/t10k-labels-idx1-ubyte.gz", damaged,
                MnistData.SHA256.get("t10k-labels-idx1-ubyte.gz")))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("/mnist/t10k-labels-idx1-ubyte.gz: SHA-256 is ")
                .hasMessageEndingWith("but the published MNIST file has "
                        + "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6; the bundled copy is damaged");
    }

    @Test
    void readsAnyMnistFormatDirectoryRawOrGzipped(@TempDir Path dir) throws IOException {
        try (InputStream in = new GZIPInputStream(MnistData.class.getResourceAsStream("/mnist/t10k-images-idx3-ubyte.gz"))) {
            Files.write(dir.resolve("t10k-images.idx3-ubyte"), in.readAllBytes());
        }
        try (InputStream in = MnistData.class.getResourceAsStream("/mnist/t10k-labels-idx1-ubyte.gz")) {
            Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), in.readAllBytes());
        }
        LabelledDataset copy = MnistData.test(dir);
        assertThat(copy.size()).isEqualTo(10_000);
        assertThat(copy.features()).isEqualTo(test.features());
        assertThat(copy.labels()).isEqualTo(test.labels());
    }

    @Test
    void aDirectoryWithoutTheFilesIsNamed(@TempDir Path dir) {
        assertThatThrownBy(() -> MnistData.train(dir))
                .hasMessage("data directory " + dir + " has no train-images-idx3-ubyte[.gz]");
        assertThatThrownBy(() -> MnistData.test(dir.resolve("missing")))
                .hasMessage("data directory " + dir.resolve("missing") + " does not exist");
    }
}
