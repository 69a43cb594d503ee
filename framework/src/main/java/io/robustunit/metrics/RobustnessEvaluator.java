package io.robustunit.metrics;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.Objects;

import org.apiguardian.api.API;

import io.robustunit.attack.Attack;
import io.robustunit.data.LabelledDataset;
import io.robustunit.model.DifferentiableClassifier;

/**
 * Attacks a whole labelled dataset batch by batch and measures the result. The same model, data and
 * attack always give the same numbers, whatever the batch size, up to float rounding in the model.
 * <pre>{@code
 * EvaluationResult r = RobustnessEvaluator.of(model).batchSize(1000).evaluate(testSet, Attacks.fgsm(0.1));
 * }</pre>
 */
@API(status = STABLE, since = "0.1")
public final class RobustnessEvaluator {

    /** The default number of examples attacked at once. */
    public static final int DEFAULT_BATCH_SIZE = 1000;

    private final DifferentiableClassifier model;
    private final int batchSize;

    private RobustnessEvaluator(DifferentiableClassifier model, int batchSize) {
        this.model = Objects.requireNonNull(model, "model");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1 but was " + batchSize);
        }
        this.batchSize = batchSize;
    }

    /**
     * @param model the classifier to evaluate
     * @return an evaluator with the default batch size
     */
    public static RobustnessEvaluator of(DifferentiableClassifier model) {
        return new RobustnessEvaluator(model, DEFAULT_BATCH_SIZE);
    }

    /**
     * @param size examples per batch, at least 1
     * @return an evaluator with that batch size
     */
    public RobustnessEvaluator batchSize(int size) {
        return new RobustnessEvaluator(model, size);
    }

    /**
     * Predicts the clean data, attacks it and predicts the adversarial examples.
     *
     * @param data the labelled examples; its feature count and classes must match the model
     * @param attack the attack; the data's range must lie within the attack's range
     * @return predictions, adversarial examples and metrics
     * @throws IllegalArgumentException if the data does not fit the model or the attack
     */
    public EvaluationResult evaluate(LabelledDataset data, Attack attack) {
        checkCompatible(data, attack);
        long start = System.nanoTime();
        int n = data.size();
        int d = model.inputSize();
        int classes = model.numClasses();
        float[] inputs = data.features();
        int[] labels = data.labels();
        float[] adversarial = new float[n * d];
        float[] cleanProbabilities = new float[n * classes];
        float[] adversarialProbabilities = new float[n * classes];
        long attackNanos = 0;
        for (int from = 0; from < n; from += batchSize) {
            int count = Math.min(batchSize, n - from);
            model.probabilities(inputs, from, count, cleanProbabilities);
            long t0 = System.nanoTime();
            attack.generate(model, inputs, labels, from, count, adversarial);
            attackNanos += System.nanoTime() - t0;
            model.probabilities(adversarial, from, count, adversarialProbabilities);
        }
        return new EvaluationResult(attack, data.name(), d, classes, labels,
                Predictions.fromProbabilities(cleanProbabilities, classes),
                Predictions.fromProbabilities(adversarialProbabilities, classes), adversarial,
                attackNanos / 1e9, (System.nanoTime() - start) / 1e9);
    }

    /**
     * Predicts the data without attacking it.
     *
     * @param data the labelled examples
     * @return accuracy, confidence, per-class accuracy and confusion matrix
     */
    public ClassificationSummary evaluateClean(LabelledDataset data) {
        checkCompatible(data, null);
        int n = data.size();
        int classes = model.numClasses();
        float[] inputs = data.features();
        float[] probabilities = new float[n * classes];
        for (int from = 0; from < n; from += batchSize) {
            model.probabilities(inputs, from, Math.min(batchSize, n - from), probabilities);
        }
        Predictions p = Predictions.fromProbabilities(probabilities, classes);
        return new ClassificationSummary(data.labels(), p.classes(), p.confidence(), classes);
    }

    private void checkCompatible(LabelledDataset data, Attack attack) {
        if (data.featureCount() != model.inputSize()) {
            throw new IllegalArgumentException("dataset '" + data.name() + "' has " + data.featureCount()
                    + " features per example but the model expects " + model.inputSize());
        }
        if (data.numClasses() > model.numClasses()) {
            throw new IllegalArgumentException("dataset '" + data.name() + "' has " + data.numClasses()
                    + " classes but the model predicts " + model.numClasses());
        }
        if (attack != null && (data.range().lower() < attack.range().lower()
                || data.range().upper() > attack.range().upper())) {
            throw new IllegalArgumentException("dataset '" + data.name() + "' lies in " + data.range()
                    + " but the attack clips to " + attack.range());
        }
    }
}
