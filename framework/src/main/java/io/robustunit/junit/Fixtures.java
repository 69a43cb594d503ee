package io.robustunit.junit;

import org.junit.jupiter.api.extension.ExtensionContext.Store;

import io.robustunit.data.LabelledDataset;

/**
 * The model and data of one test class, each loaded once, on first use, and kept in the class's {@link Store},
 * which closes the model with the class.
 */
final class Fixtures {

    private enum Key { MODEL, TEST_DATA, TRAINING_DATA }

    private final Store store;
    private final Declarations declarations;

    Fixtures(Store store, Declarations declarations) {
        this.store = store;
        this.declarations = declarations;
    }

    Store store() {
        return store;
    }

    Declarations declarations() {
        return declarations;
    }

    ModelHandle model() {
        return store.getOrComputeIfAbsent(Key.MODEL, k -> ModelLoading.load(declarations.model()), ModelHandle.class);
    }

    LabelledDataset testData() {
        return store.getOrComputeIfAbsent(Key.TEST_DATA, k -> DataLoading.load(declarations.data()),
                LabelledDataset.class);
    }

    /** @return the training data; the declaration must exist, as settings resolution checks */
    LabelledDataset trainingData() {
        return store.getOrComputeIfAbsent(Key.TRAINING_DATA, k -> DataLoading.load(declarations.training().orElseThrow()),
                LabelledDataset.class);
    }
}
