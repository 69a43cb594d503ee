package io.robustunit.model.dl4j;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Copies of DL4J networks whose training-mode forward pass equals their inference-mode one. DL4J computes
 * gradients only in training mode, which applies dropout and weight noise; the copies have those removed
 * and either a snapshot of the original's parameters or a view of them.
 */
final class InferenceCopies {

    private InferenceCopies() {
    }

    static MultiLayerNetwork of(MultiLayerNetwork original) {
        return of(original, false);
    }

    /**
     * @param share {@code true} to view the original's parameter array, so the copy follows its training;
     *        {@code false} for a snapshot
     */
    static MultiLayerNetwork of(MultiLayerNetwork original, boolean share) {
        if (original.params() == null) {
            throw new IllegalArgumentException("the MultiLayerNetwork is not initialized; call init() first");
        }
        MultiLayerConfiguration conf = SoftmaxHeads.withLoss(original.getLayerWiseConfigurations());
        int index = 0;
        for (NeuralNetConfiguration layerConf : conf.getConfs()) {
            stripNoise(layerConf.getLayer(), "layer " + index++);
        }
        MultiLayerNetwork copy = new MultiLayerNetwork(conf);
        copy.init(share ? original.params() : original.params().dup(), false);
        return copy;
    }

    static ComputationGraph of(ComputationGraph original) {
        return of(original, false);
    }

    /** @param share as for {@link #of(MultiLayerNetwork, boolean)} */
    static ComputationGraph of(ComputationGraph original, boolean share) {
        if (original.params() == null) {
            throw new IllegalArgumentException("the ComputationGraph is not initialized; call init() first");
        }
        ComputationGraphConfiguration conf = SoftmaxHeads.withLoss(original.getConfiguration());
        for (var entry : conf.getVertices().entrySet()) {
            GraphVertex vertex = entry.getValue();
            if (vertex instanceof LayerVertex layerVertex) {
                stripNoise(layerVertex.getLayerConf().getLayer(), "vertex '" + entry.getKey() + "'");
            }
        }
        conf.setTrainingWorkspaceMode(WorkspaceMode.NONE);
        conf.setInferenceWorkspaceMode(WorkspaceMode.NONE);
        ComputationGraph copy = new ComputationGraph(conf);
        copy.init(share ? original.params() : original.params().dup(), false);
        return copy;
    }

    private static void stripNoise(Layer layer, String where) {
        if (layer instanceof BatchNormalization) {
            throw new IllegalArgumentException(where + " is a BatchNormalization layer: DL4J computes input "
                    + "gradients only with batch statistics, so an inference-mode gradient is not available");
        }
        layer.setIDropout(null);
        if (layer instanceof BaseLayer base) {
            base.setWeightNoise(null);
        }
    }
}
