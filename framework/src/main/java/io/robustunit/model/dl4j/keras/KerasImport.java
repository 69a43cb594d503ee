package io.robustunit.model.dl4j.keras;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.KerasModel;
import org.deeplearning4j.nn.modelimport.keras.KerasSequentialModel;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.robustunit.model.dl4j.keras.Hdf5File.FloatArray;

/**
 * Builds the DL4J network with DL4J's Keras importer from a checked configuration in Keras 2 form and weights read
 * by {@link KerasWeights}. The importer gets the configuration only, never the file: its training configuration is
 * ignored, as {@code enforceTrainingConfig = false} would, and the weights are handed to each layer by name, so that
 * RobustUnit's bounded reader, not the importer's, reads the file. A Sequential model becomes a
 * {@code MultiLayerNetwork}, a Functional one a {@code ComputationGraph}.
 */
final class KerasImport {

    private KerasImport() {
    }

    /**
     * @throws IOException naming the file if the importer refuses the configuration or a weight does not fit its layer
     */
    static Model build(KerasConfig config, String keras2Json, Map<String, Map<String, FloatArray>> weights,
                       String source) throws IOException {
        try {
            KerasModel model = config.functional()
                    ? new KerasModel().modelBuilder().modelJson(keras2Json).enforceTrainingConfig(false).buildModel()
                    : new KerasModel().modelBuilder().modelJson(keras2Json).enforceTrainingConfig(false)
                    .buildSequential();
            setWeights(model.getLayers(), weights, source);
            Model network = config.functional() ? model.getComputationGraph(true)
                    : ((KerasSequentialModel) model).getMultiLayerNetwork(true);
            checkCopied(model.getLayers(), network, source);
            return network;
        } catch (UnsupportedKerasConfigurationException | InvalidKerasConfigurationException e) {
            throw new IOException("model file " + source + ": DL4J's Keras importer cannot import it: "
                    + importerMessage(e), e);
        } catch (RuntimeException e) {
            throw new IOException("model file " + source + ": DL4J's Keras importer failed on it ("
                    + e.getClass().getSimpleName() + ": " + importerMessage(e) + ")", e);
        }
    }

    private static void setWeights(Map<String, KerasLayer> layers, Map<String, Map<String, FloatArray>> weights,
                                   String source) throws IOException, InvalidKerasConfigurationException {
        for (Map.Entry<String, Map<String, FloatArray>> layer : weights.entrySet()) {
            KerasLayer target = layers.get(layer.getKey());
            if (target == null) {
                throw new IOException("model file " + source + " holds weights for layer '" + layer.getKey()
                        + "', which the importer did not create");
            }
            Map<String, INDArray> arrays = new HashMap<>();
            for (Map.Entry<String, FloatArray> weight : layer.getValue().entrySet()) {
                FloatArray value = weight.getValue();
                arrays.put(weight.getKey(), Nd4j.create(value.values(), value.shape(), 'c').castTo(DataType.FLOAT));
            }
            target.setWeights(arrays);
        }
    }

    /** The importer reshapes a weight of the right size silently but copies a wrong size partly: refuse that. */
    private static void checkCopied(Map<String, KerasLayer> layers, Model network, String source) throws IOException {
        for (KerasLayer layer : layers.values()) {
            if (layer.getWeights() == null || layer.getNumParams() == 0) {
                continue;
            }
            org.deeplearning4j.nn.api.Layer target = network instanceof ComputationGraph graph
                    ? graph.getLayer(layer.getLayerName()) : ((MultiLayerNetwork) network).getLayer(layer.getLayerName());
            for (Map.Entry<String, INDArray> weight : layer.getWeights().entrySet()) {
                INDArray param = target.getParam(weight.getKey());
                if (param == null || param.length() != weight.getValue().length()) {
                    throw new IOException("model file " + source + ": layer '" + layer.getLayerName() + "' has a "
                            + weight.getKey() + " weight of " + weight.getValue().length() + " values but the layer "
                            + "takes " + (param == null ? "none" : param.length()));
                }
            }
        }
    }

    /** The importer's messages end in a request to file a DL4J issue, which is not what the user should do. */
    private static String importerMessage(Exception e) {
        String message = String.valueOf(e.getMessage());
        int cut = message.indexOf(". Please file an issue");
        cut = cut < 0 ? message.indexOf(". For more information, see") : cut;
        return cut < 0 ? message : message.substring(0, cut + 1);
    }
}
