package io.robustunit.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.List;

import org.apiguardian.api.API;

/**
 * Everything one test class's robustness tests measured: what was attacked and each invocation's numbers.
 *
 * @param testClass the test class's fully qualified name
 * @param modelName how the model was declared, e.g. {@code /models/mnist-mlp.zip}
 * @param modelSha256 the SHA-256 of the model's parameters as float32 little-endian
 * @param modelDescription the classifier behind it, e.g. {@code MultiLayerNetwork 784-128-10 (dense kernel)}
 * @param datasetName the declared data's name
 * @param datasetSize its number of examples
 * @param features features per example
 * @param classes the number of classes
 * @param results one record per invocation, in the order they finished
 * @param examples images of attacked examples, for the HTML report; not written to JSON
 */
@API(status = INTERNAL, since = "0.1")
public record ClassReport(String testClass, String modelName, String modelSha256, String modelDescription,
                          String datasetName, int datasetSize, int features, int classes, List<ResultRecord> results,
                          List<ExampleImages> examples) {

    /** @return the class's simple name */
    public String simpleName() {
        return testClass.substring(testClass.lastIndexOf('.') + 1).replace('$', '.');
    }
}
