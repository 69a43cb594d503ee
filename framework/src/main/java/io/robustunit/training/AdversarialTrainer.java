package io.robustunit.training;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.apiguardian.api.API;

import io.robustunit.attack.Attack;
import io.robustunit.attack.Attacks;
import io.robustunit.data.LabelledDataset;
import io.robustunit.metrics.EvaluationResult;
import io.robustunit.metrics.RobustnessEvaluator;
import io.robustunit.model.DifferentiableClassifier;
import io.robustunit.model.TrainableNetwork;

/**
 * Adversarial training with Goodfellow et al.'s mixed objective {@code α·J(x, y) + (1 − α)·J(x_adv, y)}.
 * {@code x_adv} is generated for every minibatch from the current parameters by the chosen
 * {@link TrainingGenerator}; the network's own loss and updater do the rest. It trains the network it is given,
 * from wherever that network is: pass a trained network to fine-tune it, a freshly initialized one to train from
 * scratch, and a copy to keep the original.
 * <pre>{@code
 * TrainingReport report = AdversarialTrainer.fgsm(0.1).epochs(5).batchSize(64)
 *         .train(Dl4jModels.trainable(network), train, heldOut, epoch -> {});
 * }</pre>
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class AdversarialTrainer {

    /** α must be a multiple of one over this, as the mixed loss is realised by repeating examples. */
    public static final int ALPHA_DENOMINATOR = 8;

    /** The values α may take, as messages state them. */
    public static final String ALPHA_RULE = "a multiple of 1/" + ALPHA_DENOMINATOR + " in [0, 1]";

    /** Steps of {@link TrainingGenerator#PGD}, each of {@code 2.5·ε/steps}. */
    public static final int DEFAULT_PGD_STEPS = 7;

    private final TrainingGenerator generator;
    private final double epsilon;
    private final double alpha;
    private final int epochs;
    private final int batchSize;
    private final long seed;
    private final int pgdSteps;

    private AdversarialTrainer(TrainingGenerator generator, double epsilon, double alpha, int epochs, int batchSize,
                               long seed, int pgdSteps) {
        this.generator = Objects.requireNonNull(generator, "generator");
        if (!Double.isFinite(epsilon) || epsilon <= 0 || epsilon > 1) {
            throw new IllegalArgumentException("adversarial training epsilon must be in (0, 1] but was " + epsilon);
        }
        if (!(alpha >= 0 && alpha <= 1) || alpha * ALPHA_DENOMINATOR != Math.rint(alpha * ALPHA_DENOMINATOR)) {
            throw new IllegalArgumentException("alpha, the weight of the clean loss, must be " + ALPHA_RULE
                    + " but was " + alpha + " (the mixed loss repeats clean and "
                    + "adversarial examples in each minibatch in the ratio α : 1 − α)");
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1 but was " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1 but was " + batchSize);
        }
        if (pgdSteps < 1) {
            throw new IllegalArgumentException("PGD steps must be at least 1 but was " + pgdSteps);
        }
        this.epsilon = epsilon;
        this.alpha = alpha;
        this.epochs = epochs;
        this.batchSize = batchSize;
        this.seed = seed;
        this.pgdSteps = pgdSteps;
    }

    /**
     * @param generator how adversarial examples are made
     * @param epsilon the L∞ budget, in {@code (0, 1]}
     * @return a trainer with α = 0.5, 5 epochs, batch size 64 and seed 42
     */
    public static AdversarialTrainer of(TrainingGenerator generator, double epsilon) {
        return new AdversarialTrainer(generator, epsilon, 0.5, 5, 64, 42, DEFAULT_PGD_STEPS);
    }

    /**
     * @param epsilon the L∞ budget, in {@code (0, 1]}
     * @return FGSM adversarial training with the defaults of {@link #of}
     */
    public static AdversarialTrainer fgsm(double epsilon) {
        return of(TrainingGenerator.FGSM, epsilon);
    }

    /**
     * @param weight the weight α of the clean loss, a multiple of 1/8 in {@code [0, 1]}: each minibatch repeats
     *        clean and adversarial examples in the ratio {@code α : 1 − α}, so 0.5 costs nothing extra and 0.125
     *        makes minibatches eight times as long
     * @return this trainer with another α
     */
    public AdversarialTrainer alpha(double weight) {
        return new AdversarialTrainer(generator, epsilon, weight, epochs, batchSize, seed, pgdSteps);
    }

    /**
     * @param count the number of epochs, at least 1
     * @return this trainer with another number of epochs
     */
    public AdversarialTrainer epochs(int count) {
        return new AdversarialTrainer(generator, epsilon, alpha, count, batchSize, seed, pgdSteps);
    }

    /**
     * @param size clean examples per minibatch, at least 1 (each minibatch also holds their adversarial versions)
     * @return this trainer with another batch size
     */
    public AdversarialTrainer batchSize(int size) {
        return new AdversarialTrainer(generator, epsilon, alpha, epochs, size, seed, pgdSteps);
    }

    /**
     * @param value the seed of the shuffles and the random starts
     * @return this trainer with another seed
     */
    public AdversarialTrainer seed(long value) {
        return new AdversarialTrainer(generator, epsilon, alpha, epochs, batchSize, value, pgdSteps);
    }

    /**
     * @param steps steps of {@link TrainingGenerator#PGD}, at least 1
     * @return this trainer with another number of PGD steps
     */
    public AdversarialTrainer pgdSteps(int steps) {
        return new AdversarialTrainer(generator, epsilon, alpha, epochs, batchSize, seed, steps);
    }

    /** @return the generator */
    public TrainingGenerator generator() {
        return generator;
    }

    /** @return the training ε */
    public double epsilon() {
        return epsilon;
    }

    /** @return the weight of the clean loss */
    public double alpha() {
        return alpha;
    }

    /** @return the number of epochs */
    public int epochs() {
        return epochs;
    }

    /** @return clean examples per minibatch */
    public int batchSize() {
        return batchSize;
    }

    /** @return the seed */
    public long seed() {
        return seed;
    }

    /** Told about every minibatch and epoch. */
    public interface Progress {

        /**
         * @param report the finished epoch
         */
        void epochDone(EpochReport report);

        /**
         * @param epoch the epoch, from 1
         * @param batch the minibatch, from 1
         * @param batches minibatches per epoch
         */
        default void batchDone(int epoch, int batch, int batches) {
        }
    }

    /**
     * Trains {@code network} in place.
     *
     * @param network the network, e.g. {@code Dl4jModels.trainable(multiLayerNetwork)}
     * @param train the training data
     * @param heldOut data to measure clean and FGSM accuracy on after each epoch
     * @param progress told about each minibatch and epoch
     * @return what each epoch achieved and how long it took
     * @throws IllegalArgumentException if the data do not fit the network
     */
    public TrainingReport train(TrainableNetwork network, LabelledDataset train, LabelledDataset heldOut,
                                Progress progress) {
        DifferentiableClassifier live = network.liveClassifier(train.featureCount());
        if (train.featureCount() != live.inputSize() || heldOut.featureCount() != live.inputSize()) {
            throw new IllegalArgumentException("the network expects " + live.inputSize() + " features per example but "
                    + "the training data have " + train.featureCount() + " and the held-out data " + heldOut.featureCount());
        }
        int clean = (int) Math.rint(alpha * ALPHA_DENOMINATOR);
        int adversarial = ALPHA_DENOMINATOR - clean;
        int common = java.math.BigInteger.valueOf(clean).gcd(java.math.BigInteger.valueOf(adversarial)).intValue();
        MixedMinibatches batches = new MixedMinibatches(train, live,
                (epoch, batch) -> attackFor(epoch, batch).withRange(train.range()), batchSize,
                clean / common, adversarial / common, seed, progress::batchDone);
        List<EpochReport> reports = new ArrayList<>();
        double total = 0;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long start = System.nanoTime();
            double loss = network.fitEpoch(batches);
            double seconds = (System.nanoTime() - start) / 1e9;
            total += seconds;
            EvaluationResult check = RobustnessEvaluator.of(network.classifier(heldOut.featureCount()))
                    .evaluate(heldOut, Attacks.fgsm(epsilon).withRange(heldOut.range()));
            EpochReport report = new EpochReport(epoch, loss, check.cleanAccuracy(), check.adversarialAccuracy(), seconds);
            reports.add(report);
            progress.epochDone(report);
        }
        return new TrainingReport(this, List.copyOf(reports), total);
    }

    Attack attackFor(int epoch, int batch) {
        long batchSeed = seed ^ (0x9E3779B97F4A7C15L * ((long) epoch << 32 | batch));
        return switch (generator) {
            case FGSM -> Attacks.fgsm(epsilon);
            case FGSM_RANDOM_START -> Attacks.pgd(epsilon).withSteps(1).withStepSize(1.25 * epsilon)
                    .withRandomStart(batchSeed);
            case PGD -> Attacks.pgd(epsilon).withSteps(pgdSteps).withRandomStart(batchSeed);
        };
    }

    @Override
    public String toString() {
        return generator + " adversarial training, ε=" + java.math.BigDecimal.valueOf(epsilon).stripTrailingZeros().toPlainString()
                + ", α=" + alpha
                + ", " + epochs + " epochs, batch " + batchSize + ", seed " + seed
                + (generator == TrainingGenerator.PGD ? ", " + pgdSteps + " PGD steps" : "");
    }
}
