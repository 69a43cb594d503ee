package io.robustunit.model.dl4j;

import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * Softmax classifiers whose last layer has no loss, as DL4J's Keras importer makes them: Keras keeps the loss in the
 * training configuration, not in the model, so {@code Dense(10, activation="softmax")} becomes a {@code DenseLayer}
 * with softmax, and {@code Dense(10)} followed by {@code Activation("softmax")} a {@code DenseLayer} and an
 * {@code ActivationLayer}. Such a head computes exactly what an {@code OutputLayer} with softmax computes; RobustUnit
 * gives it the cross-entropy loss that Keras's {@code sparse_categorical_crossentropy} is, by replacing it with that
 * {@code OutputLayer}. The parameters keep their layout, so the network's flattened parameters carry over unchanged.
 */
final class SoftmaxHeads {

    private SoftmaxHeads() {
    }

    /** @return whether the layer ends a classifier with softmax but without a loss: a plain softmax dense layer */
    static boolean isLossless(Layer layer) {
        return layer.getClass() == DenseLayer.class && ((DenseLayer) layer).getActivationFn() instanceof ActivationSoftmax
                && !((DenseLayer) layer).hasLayerNorm();
    }

    /** @return whether the layer is a softmax activation that follows a linear dense layer */
    static boolean isSoftmaxActivation(Layer layer) {
        return layer.getClass() == ActivationLayer.class
                && ((ActivationLayer) layer).getActivationFn() instanceof ActivationSoftmax;
    }

    /** @return whether the layer is a dense layer without activation or layer normalization */
    static boolean isLinearDense(Layer layer) {
        return layer.getClass() == DenseLayer.class && ((DenseLayer) layer).getActivationFn() instanceof ActivationIdentity
                && !((DenseLayer) layer).hasLayerNorm();
    }

    /** @return whether the network ends in a softmax head without a loss, in either form */
    static boolean hasLosslessHead(Model model) {
        if (model instanceof MultiLayerNetwork network) {
            return losslessHead(network.getLayerWiseConfigurations()) >= 0;
        }
        return model instanceof ComputationGraph graph && losslessHead(graph.getConfiguration()) != null;
    }

    /** @return the output layer the head becomes: the dense layer's weights, softmax, and cross-entropy */
    static OutputLayer outputLayer(DenseLayer dense) {
        OutputLayer.Builder builder = new OutputLayer.Builder(new LossMCXENT())
                .nIn(dense.getNIn()).nOut(dense.getNOut()).activation(new ActivationSoftmax())
                .hasBias(dense.hasBias()).weightInit(dense.getWeightInitFn()).biasInit(dense.getBiasInit())
                .name(dense.getLayerName());
        if (dense.getIUpdater() != null) {
            builder.updater(dense.getIUpdater());
        }
        if (dense.getBiasUpdater() != null) {
            builder.biasUpdater(dense.getBiasUpdater());
        }
        OutputLayer output = builder.build();
        output.setRegularization(dense.getRegularization());
        output.setRegularizationBias(dense.getRegularizationBias());
        output.setGradientNormalization(dense.getGradientNormalization());
        output.setGradientNormalizationThreshold(dense.getGradientNormalizationThreshold());
        output.setIDropout(dense.getIDropout());
        return output;
    }

    /**
     * @return the model with its lossless head replaced by an output layer, sharing nothing with the original; the
     *         model itself if its head has a loss already
     */
    static Model withLoss(Model model) {
        if (model instanceof MultiLayerNetwork network && hasLosslessHead(network)) {
            MultiLayerNetwork result = new MultiLayerNetwork(withLoss(network.getLayerWiseConfigurations()));
            result.init(network.params().dup(), false);
            return result;
        }
        if (model instanceof ComputationGraph graph && hasLosslessHead(graph)) {
            ComputationGraph result = new ComputationGraph(withLoss(graph.getConfiguration()));
            result.init(graph.params().dup(), false);
            return result;
        }
        return model;
    }

    /** @return a copy of the configuration whose lossless head, if any, is an output layer */
    static MultiLayerConfiguration withLoss(MultiLayerConfiguration original) {
        MultiLayerConfiguration conf = original.clone();
        int head = losslessHead(conf);
        if (head >= 0) {
            int last = conf.getConfs().size() - 1;
            if (head < last) {
                conf.getConfs().remove(last);
                conf.getInputPreProcessors().remove(last);
            }
            conf.getConf(head).setLayer(outputLayer((DenseLayer) conf.getConf(head).getLayer()));
        }
        return conf;
    }

    /** @return a copy of the configuration whose lossless head, if any, is an output layer */
    static ComputationGraphConfiguration withLoss(ComputationGraphConfiguration original) {
        ComputationGraphConfiguration conf = original.clone();
        String head = losslessHead(conf);
        if (head != null) {
            String output = conf.getNetworkOutputs().get(0);
            if (!head.equals(output)) {
                conf.getVertices().remove(output);
                conf.getVertexInputs().remove(output);
                conf.setNetworkOutputs(new java.util.ArrayList<>(List.of(head)));
            }
            // ComputationGraph caches its vertex order in the configuration
            conf.setTopologicalOrder(null);
            conf.setTopologicalOrderStr(null);
            LayerVertex vertex = (LayerVertex) conf.getVertices().get(head);
            vertex.getLayerConf().setLayer(outputLayer((DenseLayer) vertex.getLayerConf().getLayer()));
        }
        return conf;
    }

    /**
     * @return the index of the dense layer that is the lossless head: the last layer, or the one before a final
     *         softmax activation; -1 if there is none
     */
    private static int losslessHead(MultiLayerConfiguration conf) {
        int last = conf.getConfs().size() - 1;
        Layer layer = conf.getConf(last).getLayer();
        if (isLossless(layer)) {
            return last;
        }
        if (last > 0 && isSoftmaxActivation(layer) && conf.getInputPreProcess(last) == null
                && isLinearDense(conf.getConf(last - 1).getLayer())) {
            return last - 1;
        }
        return -1;
    }

    /** @return the name of the dense vertex that is the lossless head of a single-output graph, or {@code null} */
    private static String losslessHead(ComputationGraphConfiguration conf) {
        if (conf.getNetworkOutputs().size() != 1) {
            return null;
        }
        String output = conf.getNetworkOutputs().get(0);
        Layer layer = layer(conf.getVertices().get(output));
        if (layer != null && isLossless(layer)) {
            return output;
        }
        List<String> inputs = conf.getVertexInputs().get(output);
        if (layer != null && isSoftmaxActivation(layer) && inputs.size() == 1
                && ((LayerVertex) conf.getVertices().get(output)).getPreProcessor() == null) {
            String dense = inputs.get(0);
            Layer before = layer(conf.getVertices().get(dense));
            boolean onlyConsumer = conf.getVertexInputs().entrySet().stream()
                    .filter(e -> e.getValue().contains(dense)).map(Map.Entry::getKey).toList().equals(List.of(output));
            return before != null && isLinearDense(before) && onlyConsumer ? dense : null;
        }
        return null;
    }

    private static Layer layer(GraphVertex vertex) {
        return vertex instanceof LayerVertex v ? v.getLayerConf().getLayer() : null;
    }
}
