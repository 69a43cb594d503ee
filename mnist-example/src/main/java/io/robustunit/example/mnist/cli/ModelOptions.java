package io.robustunit.example.mnist.cli;

import java.io.IOException;
import java.nio.file.Path;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import io.robustunit.example.mnist.ReferenceMlp;
import picocli.CommandLine.Option;

/** Which model to load: a file, or the shipped one. */
final class ModelOptions {

    @Option(names = "--model", paramLabel = "FILE", description = "Model zip to load; default: the shipped model.")
    Path model;

    MultiLayerNetwork load() throws IOException {
        return model == null ? ReferenceMlp.loadShipped() : ReferenceMlp.load(model);
    }

    String name() {
        return model == null ? "shipped model " + ReferenceMlp.SHIPPED_MODEL : model.toString();
    }
}
