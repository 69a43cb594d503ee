package io.robustunit.model.dl4j;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Any {@code MultiLayerNetwork} whose output layer is a classifier, evaluated by DL4J itself: probabilities
 * from {@code output(x, false)} and input gradients from {@code calculateGradients} on an inference-mode
 * copy (see {@link InferenceCopies}).
 */
final class MultiLayerClassifier extends Dl4jBackpropClassifier {

    private final MultiLayerNetwork network;

    MultiLayerClassifier(MultiLayerNetwork original, long[] exampleShape, boolean following) {
        this(InferenceCopies.of(original, following), exampleShape);
    }

    private MultiLayerClassifier(MultiLayerNetwork copy, long[] exampleShape) {
        super("MultiLayerNetwork", exampleShape != null ? exampleShape : inferShape(copy), OutputLayers.of(copy.getLayerWiseConfigurations()),
                copy.params().dataType());
        this.network = copy;
    }

    private static long[] inferShape(MultiLayerNetwork network) {
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations();
        return InputShapes.infer(conf.getConf(0).getLayer(), conf.getInputPreProcess(0), "the network");
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
