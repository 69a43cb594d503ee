package io.robustunit.example.mnist.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.robustunit.attack.Attack;
import io.robustunit.attack.Attacks;
import io.robustunit.data.LabelledDataset;
import io.robustunit.example.mnist.MnistData;
import io.robustunit.example.mnist.ReferenceMlp;
import io.robustunit.example.mnist.peer.PeerWeights;
import io.robustunit.model.DifferentiableClassifier;
import io.robustunit.model.dl4j.Dl4jClassifiers;

/**
 * FGSM images per second over the 10,000 MNIST test images at several batch sizes, as the PyTorch reference
 * measures it: attack generation only (forward, input gradient, sign, clip). {@code impl=kernel} is what
 * RobustUnit uses for this MLP; {@code impl=dl4j} is DL4J's own {@code calculateGradients}, for context.
 * The weights are the shipped model's, or the PyTorch reference's when {@code -Drobustunit.bench.weights=DIR}
 * names a directory written by {@code fgsm_peer.py --save-weights}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FgsmBenchmark {

    private static final int IMAGES = 10_000;

    @Param({"1", "100", "1000", "10000"})
    public int batchSize;

    @Param({"kernel", "dl4j"})
    public String impl;

    private float[] inputs;
    private int[] labels;
    private float[] adversarial;
    private DifferentiableClassifier model;
    private final Attack fgsm = Attacks.fgsm(0.1);

    /** Loads the data and the model. */
    @Setup
    public void setUp() throws IOException {
        LabelledDataset test = MnistData.test();
        inputs = test.features();
        labels = test.labels();
        adversarial = new float[inputs.length];
        String weights = System.getProperty("robustunit.bench.weights");
        MultiLayerNetwork network = weights == null ? ReferenceMlp.loadShipped() : PeerWeights.load(Path.of(weights));
        model = impl.equals("kernel") ? Dl4jClassifiers.of(network) : Dl4jClassifiers.usingDl4jBackprop(network);
    }

    /** Attacks all 10,000 test images, {@code batchSize} at a time. */
    @Benchmark
    @OperationsPerInvocation(IMAGES)
    public float[] fgsm() {
        for (int from = 0; from < IMAGES; from += batchSize) {
            fgsm.generate(model, inputs, labels, from, Math.min(batchSize, IMAGES - from), adversarial);
        }
        return adversarial;
    }
}
