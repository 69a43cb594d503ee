package io.robustunit.model.dl4j;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A single-input, single-output {@code ComputationGraph} classifier. DL4J 1.0.0-M2.1 has no
 * {@code calculateGradients} for graphs, so the input gradient is read from the input vertex's epsilon in
 * a listener's {@code onBackwardPass}, after {@code computeGradientAndScore()} on an inference-mode copy
 * with workspaces off.
 */
final class GraphClassifier extends Dl4jBackpropClassifier {

    private final ComputationGraph graph;
    private final String inputName;
    private final EpsilonCapture capture = new EpsilonCapture();

    GraphClassifier(ComputationGraph original, ExampleShape example, boolean following) {
        this(checkedCopy(original, following), example);
    }

    private GraphClassifier(ComputationGraph copy, ExampleShape example) {
        super("ComputationGraph", example.ndShape(), OutputLayers.of(copy.getConfiguration()), copy.params().dataType());
        this.graph = copy;
        this.inputName = copy.getConfiguration().getNetworkInputs().get(0);
        graph.setListeners(capture);
    }

    private static ComputationGraph checkedCopy(ComputationGraph original, boolean following) {
        ComputationGraphConfiguration conf = original.getConfiguration();
        if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1) {
            throw new IllegalArgumentException("only graphs with one input and one output are supported, but this one has "
                    + conf.getNetworkInputs() + " inputs and " + conf.getNetworkOutputs() + " outputs");
        }
        return InferenceCopies.of(original, following);
    }

    @Override
    INDArray output(INDArray features) {
        return graph.outputSingle(false, features);
    }

    @Override
    INDArray inputGradient(INDArray features, INDArray labels) {
        graph.setInput(0, features);
        graph.setLabels(labels);
        capture.epsilon = null;
        graph.computeGradientAndScore();
        if (capture.epsilon == null) {
            throw new IllegalStateException("the graph produced no gradient for input '" + inputName + "'");
        }
        return capture.epsilon;
    }

    @Override
    void clear() {
        graph.clear();
    }

    /** Copies the input vertex's epsilon before the graph clears it. */
    private final class EpsilonCapture extends BaseTrainingListener {

        private INDArray epsilon;

        @Override
        public void onBackwardPass(Model model) {
            INDArray e = ((ComputationGraph) model).getVertex(inputName).getEpsilon();
            epsilon = e == null ? null : e.dup();
        }
    }
}
