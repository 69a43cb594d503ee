package com.example.robustness;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.robustunit.model.dl4j.Dl4jModels;

/**
 * This project does not use Keras, so it has no Keras importer and no HDF5 library (verify.groovy checks the class
 * path). A Keras file still gets a clear error, naming the artifact that opens it.
 */
class WithoutKerasTest {

    @Test
    void aKerasFileNamesTheArtifactToAdd(@TempDir Path dir) throws IOException {
        byte[] hdf5 = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0};
        Path file = Files.write(dir.resolve("mnist.h5"), hdf5);
        IOException e = assertThrows(IOException.class, () -> Dl4jModels.load(file));
        assertTrue(e.getMessage().contains("is a Keras HDF5 model (.h5); opening it needs DL4J's Keras importer"),
                e.getMessage());
        assertTrue(e.getMessage().contains("Add the dependency org.deeplearning4j:deeplearning4j-modelimport:1.0.0-M2.1"),
                e.getMessage());
    }
}
