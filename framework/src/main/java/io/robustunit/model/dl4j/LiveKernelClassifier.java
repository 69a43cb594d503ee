package io.robustunit.model.dl4j;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import io.robustunit.model.DifferentiableClassifier;
import io.robustunit.model.GradientStep;

/**
 * RobustUnit's kernels for a network that is being trained: before each call it checks whether the network has
 * moved on (DL4J's iteration or epoch count, or the sum of its parameters, changed) and, if so, compiles the kernels
 * again from the current parameters. Adversarial training generates each minibatch's adversarial rows through it, so
 * they come from the weights of that moment, at the kernels' speed, while DL4J does the weight update. Batch
 * normalization uses its running statistics here, as in every attack: the adversarial rows are those of the model
 * in inference mode. Not
 * thread-safe: the trainer calls it from one thread (the kernels it compiles split each batch over the cores).
 */
final class LiveKernelClassifier implements DifferentiableClassifier {

    private static final int PARALLELISM = Runtime.getRuntime().availableProcessors();

    private final Model model;
    private final ExampleShape shape;
    private DifferentiableClassifier current;
    private long compiledIteration;
    private long compiledEpoch;
    private double compiledSum;

    /** @throws KernelCompiler.Unsupported if the kernels cannot run the network */
    LiveKernelClassifier(Model model, ExampleShape shape) throws KernelCompiler.Unsupported {
        this.model = model;
        this.shape = shape;
        this.current = compile();
        this.compiledIteration = iteration();
        this.compiledEpoch = epoch();
        this.compiledSum = model.params().sumNumber().doubleValue();
    }

    private DifferentiableClassifier compile() throws KernelCompiler.Unsupported {
        return model instanceof MultiLayerNetwork n
                ? KernelCompiler.compile(n, shape).classifier(PARALLELISM, description(n))
                : KernelCompiler.compile((ComputationGraph) model, shape).classifier(PARALLELISM, description(model));
    }

    private long iteration() {
        return model instanceof MultiLayerNetwork n ? n.getIterationCount() : ((ComputationGraph) model).getIterationCount();
    }

    private long epoch() {
        return model instanceof MultiLayerNetwork n ? n.getEpochCount() : ((ComputationGraph) model).getEpochCount();
    }

    private DifferentiableClassifier refresh() {
        long iteration = iteration();
        long epoch = epoch();
        double sum = model.params().sumNumber().doubleValue();
        if (iteration != compiledIteration || epoch != compiledEpoch || Double.compare(sum, compiledSum) != 0) {
            try {
                current = compile();
            } catch (KernelCompiler.Unsupported e) {
                throw new IllegalStateException("the network's layers changed during training: " + e.getMessage(), e);
            }
            compiledIteration = iteration;
            compiledEpoch = epoch;
            compiledSum = sum;
        }
        return current;
    }

    private String description(Model network) {
        return network.getClass().getSimpleName() + " " + shape + " (RobustUnit kernels, following training)";
    }

    @Override
    public int inputSize() {
        return current.inputSize();
    }

    @Override
    public int numClasses() {
        return current.numClasses();
    }

    @Override
    public void probabilities(float[] inputs, int from, int count, float[] probabilities) {
        refresh().probabilities(inputs, from, count, probabilities);
    }

    @Override
    public void lossGradient(float[] inputs, int[] labels, int from, int count, float[] gradient) {
        refresh().lossGradient(inputs, labels, from, count, gradient);
    }

    @Override
    public void lossGradient(float[] inputs, int[] labels, int from, int count, float[] out, GradientStep step) {
        refresh().lossGradient(inputs, labels, from, count, out, step);
    }

    @Override
    public boolean isThreadSafe() {
        return false;
    }

    @Override
    public String description() {
        return current.description();
    }
}
