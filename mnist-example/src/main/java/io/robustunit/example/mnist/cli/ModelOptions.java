package io.robustunit.example.mnist.cli;

import java.io.IOException;
import java.nio.file.Path;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import io.robustunit.example.mnist.ReferenceMlp;
import io.robustunit.example.mnist.peer.PeerWeights;
import io.robustunit.model.dl4j.Dl4jModels;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** Which model to load: a model file (DL4J zip, Keras .h5 or .keras), the PyTorch reference's .npy weights, or the shipped model. */
final class ModelOptions {

    @ArgGroup(exclusive = true)
    Source source;

    static final class Source {
        @Option(names = "--model", paramLabel = "FILE", description = "Model to load: a DL4J model zip, a Keras .h5 or a Keras .keras file (found by content); "
                + "default: the shipped model.")
        Path model;

        @Option(names = "--npy-weights", paramLabel = "DIR",
                description = "Load W1/b1/W2/b2 .npy files written by fgsm_peer.py --save-weights into the reference MLP.")
        Path npyWeights;
    }

    /** @return the model, of any architecture */
    Model loadAny() throws IOException {
        if (source != null && source.model != null) {
            return Dl4jModels.load(source.model);
        }
        return load();
    }

    /** @return the model, which must be a MultiLayerNetwork */
    MultiLayerNetwork load() throws IOException {
        if (source == null) {
            return ReferenceMlp.loadShipped();
        }
        return source.model != null ? ReferenceMlp.load(source.model) : PeerWeights.load(source.npyWeights);
    }

    String name() {
        if (source == null) {
            return "shipped model " + ReferenceMlp.SHIPPED_MODEL;
        }
        return source.model != null ? source.model.toString() : "PyTorch reference weights in " + source.npyWeights;
    }
}
