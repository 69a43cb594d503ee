package io.robustunit.example.mnist.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
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
import io.robustunit.model.GradientStep;
import io.robustunit.model.LogitLoss;
import io.robustunit.model.dl4j.Dl4jClassifiers;

/**
 * The AutoAttack ensemble at L∞ ε = 0.1 on the first 1,000 MNIST test images, as the table measures it:
 * {@code auto} is one complete run, every stage included (attack generation only; single shot). {@code apgdCe} and
 * {@code pgd} run APGD-CE (100 iterations) and PGD-20 on the same images and count the examples whose gradient they
 * computed ({@code gradients}), so a run's time divided by its count is the cost of one iteration for one image;
 * {@code apgdT} does the same for APGD-T, and {@code square} counts the forward passes ({@code forwards}) of the Square
 * Attack alone.
 *
 * <p>{@code model=hardened} is the shipped {@code mnist-mlp-hardened.zip}; {@code model=fgsm-trained} reads the
 * reference's FGSM-trained weights from {@code -Drobustunit.bench.fgsmTrained=DIR}, by default
 * {@value #FGSM_TRAINED_DEFAULT} under the working directory (the repository root).
 */
@State(Scope.Benchmark)
public class AutoAttackBenchmark {

    /** Where the FGSM-trained weights are when no property names them. */
    public static final String FGSM_TRAINED_DEFAULT = "mnist-example/src/test/resources/peer/mnist-mlp-fgsm-adv";

    private static final int IMAGES = 1000;
    private static final double EPSILON = 0.1;

    @Param({"hardened", "fgsm-trained"})
    public String model;

    private float[] inputs;
    private int[] labels;
    private float[] adversarial;
    private Counting classifier;
    private final Attack auto = Attacks.auto(EPSILON).withSeed(42);
    private final Attack apgdCe = Attacks.apgd(EPSILON).withSeed(42);
    private final Attack apgdT = Attacks.apgd(EPSILON).withSeed(42).targetingTopClasses(9);
    private final Attack pgd = Attacks.pgd(EPSILON);
    private final Attack square = Attacks.square(EPSILON).withSeed(42);

    /** Examples computed per pass type in one run; the run's time divided by them is the cost of one. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Passes {
        /** Examples whose input gradient was computed, with their forward pass. */
        public long gradients;
        /** Examples whose probabilities alone were computed. */
        public long forwards;

        /** Clears the counts before each iteration. */
        @Setup(Level.Iteration)
        public void clear() {
            gradients = 0;
            forwards = 0;
        }
    }

    /** Loads the data and the model. */
    @Setup
    public void setUp() throws IOException {
        LabelledDataset first = MnistData.test().slice(0, IMAGES);
        inputs = first.features();
        labels = first.labels();
        adversarial = new float[inputs.length];
        classifier = new Counting(Dl4jClassifiers.of(network()));
    }

    private MultiLayerNetwork network() throws IOException {
        if (model.equals("hardened")) {
            return ReferenceMlp.load(ReferenceMlp.SHIPPED_HARDENED_MODEL);
        }
        Path dir = Path.of(System.getProperty("robustunit.bench.fgsmTrained", FGSM_TRAINED_DEFAULT));
        if (!Files.isDirectory(dir)) {
            throw new IOException("no FGSM-trained weights at " + dir.toAbsolutePath() + ": run from the repository root"
                    + " or pass -Drobustunit.bench.fgsmTrained=DIR");
        }
        return PeerWeights.load(dir);
    }

    /** AUTO, every stage, on the 1,000 images. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public float[] auto() {
        auto.generate(classifier, inputs, labels, 0, IMAGES, adversarial);
        return adversarial;
    }

    /** APGD-CE on the 1,000 images, counting the examples of every gradient computation. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public float[] apgdCe(Passes passes) {
        return counted(apgdCe, passes);
    }

    /** APGD-T (9 target classes) on the 1,000 images, counting the examples of every gradient computation. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public float[] apgdT(Passes passes) {
        return counted(apgdT, passes);
    }

    /** PGD-20 on the 1,000 images, for comparison with APGD's cost per iteration. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public float[] pgd(Passes passes) {
        return counted(pgd, passes);
    }

    /** The Square Attack alone on the 1,000 images, counting the examples of every query. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public float[] square(Passes passes) {
        return counted(square, passes);
    }

    private float[] counted(Attack attack, Passes passes) {
        long gradients = classifier.gradients.sum();
        long forwards = classifier.forwards.sum();
        attack.generate(classifier, inputs, labels, 0, IMAGES, adversarial);
        passes.gradients += classifier.gradients.sum() - gradients;
        passes.forwards += classifier.forwards.sum() - forwards;
        return adversarial;
    }

    /** A classifier that counts the examples of every call, then delegates. */
    static final class Counting implements DifferentiableClassifier {
        private final DifferentiableClassifier inner;
        final LongAdder gradients = new LongAdder();
        final LongAdder forwards = new LongAdder();

        Counting(DifferentiableClassifier inner) {
            this.inner = inner;
        }

        @Override
        public int inputSize() {
            return inner.inputSize();
        }

        @Override
        public int numClasses() {
            return inner.numClasses();
        }

        @Override
        public void probabilities(float[] x, int from, int count, float[] p) {
            forwards.add(count);
            inner.probabilities(x, from, count, p);
        }

        @Override
        public void logits(float[] x, int from, int count, float[] z) {
            forwards.add(count);
            inner.logits(x, from, count, z);
        }

        @Override
        public void lossGradient(float[] x, int[] y, int from, int count, float[] g) {
            gradients.add(count);
            inner.lossGradient(x, y, from, count, g);
        }

        @Override
        public void lossGradient(float[] x, int[] y, int from, int count, float[] out, GradientStep step) {
            gradients.add(count);
            inner.lossGradient(x, y, from, count, out, step);
        }

        @Override
        public void logitGradient(float[] x, int from, int count, LogitLoss loss, float[] z, float[] g) {
            gradients.add(count);
            inner.logitGradient(x, from, count, loss, z, g);
        }

        @Override
        public boolean isThreadSafe() {
            return inner.isThreadSafe();
        }

        @Override
        public String description() {
            return inner.description();
        }
    }
}
