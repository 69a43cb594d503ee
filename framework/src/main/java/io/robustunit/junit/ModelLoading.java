package io.robustunit.junit;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

import org.junit.jupiter.api.extension.ExtensionConfigurationException;

import io.robustunit.model.dl4j.Dl4jModels;

/** Loads the model a {@link ModelUnderTest} declaration names: a field, a method, a resource or a file. */
final class ModelLoading {

    private ModelLoading() {
    }

    static ModelHandle load(Declaration<ModelUnderTest> declaration) {
        ModelUnderTest onClass = declaration.classAnnotation();
        if (onClass == null) {
            return ModelHandle.declared(declaration.value(), declaration.description());
        }
        String location = onClass.value();
        if (location.isEmpty()) {
            throw new ExtensionConfigurationException("Configuration error: " + declaration.description()
                    + " on a class must name the model, e.g. @ModelUnderTest(\"/models/model.zip\")");
        }
        try {
            return ModelHandle.loaded(open(declaration, location), location);
        } catch (IOException e) {
            throw new ExtensionConfigurationException(declaration.description() + ": " + e.getMessage(), e);
        }
    }

    private static io.robustunit.model.TrainableNetwork open(Declaration<?> declaration, String location)
            throws IOException {
        Path file = Declaration.fileOf(location);
        if (file != null) {
            return Dl4jModels.open(file);
        }
        Path directory = declaration.resourceDirectory(location);
        if (directory != null) {
            // a resource directory, such as a SavedModel: the file check says what it is
            return Dl4jModels.open(directory);
        }
        try (InputStream in = new BufferedInputStream(declaration.openResource(location))) {
            return Dl4jModels.open(in, "resource " + location);
        }
    }
}
