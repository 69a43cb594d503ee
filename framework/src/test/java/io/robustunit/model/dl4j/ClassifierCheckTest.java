package io.robustunit.model.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import io.robustunit.model.DifferentiableClassifier;

/** Only softmax classifiers are attacked: anything else would make accuracy and confidence meaningless. */
class ClassifierCheckTest {

    private static MultiLayerNetwork network(Activation output, LossFunction loss, boolean init) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(3).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(loss).nIn(3).nOut(2).activation(output).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        if (init) {
            net.init();
        }
        return net;
    }

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource({
        "SIGMOID,  XENT, sigmoid, LossBinaryXENT",
        "IDENTITY, MSE,  identity, LossMSE",
        "SOFTMAX,  MSE,  softmax, LossMSE",
    })
    void aNetworkThatIsNotASoftmaxClassifierIsRejectedNamingItsOutputLayer(Activation activation, LossFunction loss,
                                                                            String activationName, String lossName) {
        MultiLayerNetwork net = network(activation, loss, true);
        assertThatThrownBy(() -> Dl4jClassifiers.of(net)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("layer 1 (OutputLayer) has activation " + activationName + " and loss " + lossName)
                .hasMessageEndingWith("; RobustUnit attacks softmax classifiers: the output layer needs activation "
                        + "SOFTMAX with loss MCXENT, SPARSE_MCXENT or NEGATIVELOGLIKELIHOOD (a softmax DenseLayer "
                        + "without a loss, as DL4J's Keras importer makes it, is taken as softmax with cross-entropy)");
        assertThatThrownBy(() -> Dl4jClassifiers.usingDl4jBackprop(net)).hasMessageStartingWith("layer 1 (OutputLayer)");
    }

    @ParameterizedTest
    @CsvSource({"MCXENT", "SPARSE_MCXENT", "NEGATIVELOGLIKELIHOOD"})
    void softmaxWithACrossEntropyIsAccepted(LossFunction loss) {
        DifferentiableClassifier classifier = Dl4jClassifiers.of(network(Activation.SOFTMAX, loss, true));
        assertThat(classifier.numClasses()).isEqualTo(2);
    }

    @Test
    void aGraphWithASigmoidOutputIsRejectedNamingTheVertex() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).graphBuilder()
                .addInputs("in")
                .addLayer("scores", new OutputLayer.Builder(LossFunction.XENT).nIn(4).nOut(2)
                        .activation(Activation.SIGMOID).build(), "in")
                .setOutputs("scores").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        assertThatThrownBy(() -> Dl4jClassifiers.of(graph))
                .hasMessageStartingWith("output vertex 'scores' (OutputLayer) has activation sigmoid and loss");
    }

    @Test
    void aNetworkThatWasNeverInitializedIsNamedAsSuch() {
        MultiLayerNetwork net = network(Activation.SOFTMAX, LossFunction.MCXENT, false);
        assertThatThrownBy(() -> Dl4jClassifiers.of(net)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the MultiLayerNetwork is not initialized: call init() before attacking it");
        assertThatThrownBy(() -> Dl4jClassifiers.of(net, 4)).hasMessageContaining("is not initialized");
        assertThatThrownBy(() -> Dl4jModels.trainable(net)).hasMessageContaining("is not initialized");
        ComputationGraph graph = TestNets.graph(4, 3, 2, Activation.RELU, 1.0, DataType.FLOAT, 1);
        ComputationGraph fresh = new ComputationGraph(graph.getConfiguration().clone());
        assertThatThrownBy(() -> Dl4jClassifiers.of(fresh))
                .hasMessage("the ComputationGraph is not initialized: call init() before attacking it");
    }
}
