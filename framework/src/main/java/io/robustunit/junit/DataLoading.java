package io.robustunit.junit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

import org.junit.jupiter.api.extension.ExtensionConfigurationException;

import io.robustunit.data.IdxArray;
import io.robustunit.data.LabelledDataset;

/** Loads the data a {@link TestData} or {@link TrainingData} declaration names: a field, a method or IDX files. */
final class DataLoading {

    private DataLoading() {
    }

    static LabelledDataset load(Declaration<?> declaration) {
        Declaration.IdxLocation location = declaration.idxLocation();
        if (location == null) {
            Object value = declaration.value();
            if (!(value instanceof LabelledDataset dataset)) {
                throw new ExtensionConfigurationException("Configuration error: " + declaration.description()
                        + " must be a LabelledDataset but is a " + value.getClass().getName());
            }
            return dataset;
        }
        if (location.images().isEmpty() || location.labels().isEmpty()) {
            throw new ExtensionConfigurationException("Configuration error: " + declaration.description()
                    + " on a class must name images and labels");
        }
        try {
            String name = location.name().isEmpty() ? location.images().replaceAll(".*/", "") : location.name();
            return LabelledDataset.fromIdx(read(declaration, location.images()), read(declaration, location.labels()),
                    name, 0);
        } catch (IOException e) {
            throw new ExtensionConfigurationException(declaration.description() + ": " + e.getMessage(), e);
        }
    }

    private static IdxArray read(Declaration<?> declaration, String location) throws IOException {
        Path file = Declaration.fileOf(location);
        if (file != null) {
            return IdxArray.read(file);
        }
        try (InputStream in = declaration.openResource(location)) {
            return IdxArray.read(in, location);
        }
    }
}
