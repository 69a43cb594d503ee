package io.robustunit.junit;

import java.util.List;
import java.util.Optional;

/**
 * Where a test class declares its model, its test data and, for {@link HardenOnFailure}, its training data.
 *
 * @param model the {@link ModelUnderTest} declaration
 * @param data the {@link TestData} declaration
 * @param training the {@link TrainingData} declaration, if any
 */
record Declarations(Declaration<ModelUnderTest> model, Declaration<TestData> data,
                    Optional<Declaration<TrainingData>> training) {

    /**
     * @param classes the test class, then its enclosing classes
     * @param where the test method, for messages
     * @throws org.junit.jupiter.api.extension.ExtensionConfigurationException if the model or the data is not
     *         declared, or declared twice
     */
    static Declarations find(List<Class<?>> classes, String where) {
        Declaration<ModelUnderTest> model = Declaration.find(ModelUnderTest.class, classes).orElseThrow(
                () -> ConfigurationErrors.of("AdversarialTest", where, "has no model: declare one with "
                        + "@ModelUnderTest on a static field or method, or on the class with a resource"));
        Declaration<TestData> data = Declaration.find(TestData.class, classes).orElseThrow(
                () -> ConfigurationErrors.of("AdversarialTest", where, "has no data: declare it with "
                        + "@TestData on a static field or method, or on the class with IDX resources"));
        return new Declarations(model, data, Declaration.find(TrainingData.class, classes));
    }
}
