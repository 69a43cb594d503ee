package io.robustunit.junit;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

import io.robustunit.model.DifferentiableClassifier;
import io.robustunit.model.Dl4jClassifiers;
import io.robustunit.model.Dl4jModels;

/**
 * The model a test class attacks: the classifier view, and the DL4J network behind it when there is one.
 * The extension closes the networks it loaded itself, not those a test class holds in a field.
 */
final class ModelHandle implements AutoCloseable {

    final DifferentiableClassifier classifier;
    final Model network;
    final String name;
    private final boolean owned;
    private String digest;

    private ModelHandle(DifferentiableClassifier classifier, Model network, String name, boolean owned) {
        this.classifier = classifier;
        this.network = network;
        this.name = name;
        this.owned = owned;
    }

    static ModelHandle of(Object value, String name, boolean owned) {
        if (value instanceof MultiLayerNetwork || value instanceof ComputationGraph) {
            Model network = (Model) value;
            return new ModelHandle(Dl4jClassifiers.of(network), network, name, owned);
        }
        if (value instanceof DifferentiableClassifier classifier) {
            return new ModelHandle(classifier, null, name, false);
        }
        throw new ExtensionConfigurationException("Configuration error: " + name + " must be a MultiLayerNetwork, "
                + "a ComputationGraph or a DifferentiableClassifier but is a " + value.getClass().getName());
    }

    /** @return the SHA-256 of the network's parameters, or of the classifier's description without one */
    synchronized String parameterDigest() {
        if (digest == null) {
            digest = network != null ? Dl4jModels.parameterDigest(network) : "n/a (" + classifier.description() + ")";
        }
        return digest;
    }

    @Override
    public void close() {
        if (owned && network != null) {
            network.close();
        }
    }
}
