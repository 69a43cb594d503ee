package io.robustunit.junit;

import org.junit.jupiter.api.extension.ExtensionConfigurationException;

import io.robustunit.model.DifferentiableClassifier;
import io.robustunit.model.TrainableNetwork;
import io.robustunit.model.dl4j.Dl4jModels;

/**
 * The model a test class attacks: its classifier view, and the trainable network behind it when there is one.
 * Closing it closes only what RobustUnit loaded itself, never a network the test class's own code holds.
 */
final class ModelHandle implements AutoCloseable {

    final DifferentiableClassifier classifier;
    final TrainableNetwork network;
    final String name;
    private final boolean owned;
    private String digest;

    private ModelHandle(DifferentiableClassifier classifier, TrainableNetwork network, String name, boolean owned) {
        this.classifier = classifier;
        this.network = network;
        this.name = name;
        this.owned = owned;
    }

    /** @return a handle for a network RobustUnit loaded, which it closes */
    static ModelHandle loaded(TrainableNetwork network, String name) {
        return new ModelHandle(classify(network, name), network, name, true);
    }

    /** @return a handle for what a field or method of the test class holds, which it never closes */
    static ModelHandle declared(Object value, String name) {
        if (value instanceof DifferentiableClassifier classifier) {
            return new ModelHandle(classifier, null, name, false);
        }
        TrainableNetwork network = value instanceof TrainableNetwork n ? n : Dl4jModels.asTrainable(value)
                .orElseThrow(() -> new ExtensionConfigurationException("Configuration error: " + name + " must be a "
                        + "MultiLayerNetwork, a ComputationGraph, a TrainableNetwork or a DifferentiableClassifier but "
                        + "is a " + value.getClass().getName()));
        return new ModelHandle(classify(network, name), network, name, false);
    }

    private static DifferentiableClassifier classify(TrainableNetwork network, String name) {
        try {
            return network.classifier();
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException("Configuration error: " + name + " cannot be attacked: "
                    + e.getMessage(), e);
        }
    }

    /** @return the SHA-256 of the network's parameters, or of the classifier's description without one */
    synchronized String parameterDigest() {
        if (digest == null) {
            digest = network != null ? network.parameterDigest() : "n/a (" + classifier.description() + ")";
        }
        return digest;
    }

    @Override
    public void close() {
        if (owned) {
            network.close();
        }
    }
}
