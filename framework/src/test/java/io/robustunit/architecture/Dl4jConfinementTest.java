package io.robustunit.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Deeplearning4j and ND4J stay behind the model SPI: only {@code io.robustunit.model.dl4j} names them, so that the
 * JUnit extension, the attacks and training work with any {@code DifferentiableClassifier} and {@code TrainableNetwork}.
 */
class Dl4jConfinementTest {

    private static final Path DL4J_PACKAGE = PublicTypes.SOURCES.resolve("io/robustunit/model/dl4j");

    @Test
    void onlyTheDl4jPackageImportsDl4jOrNd4j() throws IOException {
        List<String> offenders;
        try (Stream<Path> files = Files.walk(PublicTypes.SOURCES)) {
            offenders = files.filter(f -> f.toString().endsWith(".java") && !f.startsWith(DL4J_PACKAGE))
                    .filter(Dl4jConfinementTest::mentionsDl4j).map(Path::toString).toList();
        }
        assertThat(offenders).isEmpty();
    }

    private static boolean mentionsDl4j(Path file) {
        try {
            String text = Files.readString(file);
            return text.contains("org.deeplearning4j") || text.contains("org.nd4j");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
