package io.robustunit.model.dl4j;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Any {@code MultiLayerNetwork} whose output layer is a classifier, evaluated by DL4J itself: probabilities
 * from {@code output(x, false)} and input gradients from {@code calculateGradients} on an inference-mode
 * copy (see {@link InferenceCopies}).
 */
final class MultiLayerClassifier extends Dl4jBackpropClassifier {

    private final MultiLayerNetwork network;

    MultiLayerClassifier(MultiLayerNetwork original, ExampleShape example, boolean following) {
        this(InferenceCopies.of(original, following), example);
    }

    private MultiLayerClassifier(MultiLayerNetwork copy, ExampleShape example) {
        super("MultiLayerNetwork", example.ndShape(), OutputLayers.of(copy.getLayerWiseConfigurations()),
                copy.params().dataType());
        this.network = copy;
    }

    @Override
    INDArray output(INDArray features) {
        return network.output(features, false);
    }

    @Override
    INDArray inputGradient(INDArray features, INDArray labels) {
        return network.calculateGradients(features, labels, null, null).getSecond();
    }

    @Override
    void clear() {
        network.clear();
    }
}
