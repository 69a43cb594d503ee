package io.robustunit.junit;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.extension.ExtensionConfigurationException;

import io.robustunit.model.DifferentiableClassifier;
import io.robustunit.model.TrainableNetwork;
import io.robustunit.model.dl4j.Dl4jModels;

/**
 * The model a test class attacks: a classifier, or the trainable network behind one. A network's classifier is made
 * for the data it meets, whose feature count fixes the example's shape where the network does not record it.
 * Closing the handle closes only what RobustUnit loaded itself, never a network the test class's own code holds.
 */
final class ModelHandle implements AutoCloseable {

    final TrainableNetwork network;
    final String name;
    private final DifferentiableClassifier declared;
    private final boolean owned;
    private final Map<Integer, DifferentiableClassifier> classifiers = new HashMap<>();
    private String digest;

    private ModelHandle(DifferentiableClassifier declared, TrainableNetwork network, String name, boolean owned) {
        this.declared = declared;
        this.network = network;
        this.name = name;
        this.owned = owned;
    }

    /** @return a handle for a network RobustUnit loaded, which it closes */
    static ModelHandle loaded(TrainableNetwork network, String name) {
        return new ModelHandle(null, network, name, true);
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
        return new ModelHandle(null, network, name, false);
    }

    /**
     * @param featuresPerExample the data's features per example
     * @return the classifier to attack
     * @throws ExtensionConfigurationException if the network cannot be attacked, naming the reason
     */
    synchronized DifferentiableClassifier classifier(int featuresPerExample) {
        if (declared != null) {
            return declared;
        }
        DifferentiableClassifier classifier = classifiers.get(featuresPerExample);
        if (classifier == null) {
            try {
                classifier = network.classifier(featuresPerExample);
            } catch (IllegalArgumentException e) {
                throw new ExtensionConfigurationException("Configuration error: " + name + " cannot be attacked: "
                        + e.getMessage(), e);
            }
            classifiers.put(featuresPerExample, classifier);
        }
        return classifier;
    }

    /** @return the SHA-256 of the network's parameters, or of the classifier's description without one */
    synchronized String parameterDigest() {
        if (digest == null) {
            digest = network != null ? network.parameterDigest() : "n/a (" + declared.description() + ")";
        }
        return digest;
    }

    /** @return what kind of model it is, for messages */
    String kind() {
        return network != null ? network.description() : declared.getClass().getName();
    }

    @Override
    public void close() {
        if (owned) {
            network.close();
        }
    }
}
