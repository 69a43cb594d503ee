package io.robustunit.metrics;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.apiguardian.api.API;

import io.robustunit.attack.Attack;

/**
 * The outcome of attacking a labelled dataset: per-example clean and adversarial predictions with their
 * confidence, the adversarial examples themselves, and the summary metrics.
 */
@API(status = STABLE, since = "0.1")
public final class EvaluationResult {

    private final Attack attack;
    private final String datasetName;
    private final int inputSize;
    private final int numClasses;
    private final int[] labels;
    private final int[] cleanPredictions;
    private final int[] adversarialPredictions;
    private final float[] cleanConfidence;
    private final float[] adversarialConfidence;
    private final float[] adversarialExamples;
    private final ClassificationSummary clean;
    private final ClassificationSummary adversarial;
    private final double attackSeconds;
    private final double totalSeconds;

    EvaluationResult(Attack attack, String datasetName, int inputSize, int numClasses, int[] labels,
                     Predictions cleanPredictions, Predictions adversarialPredictions, float[] adversarialExamples,
                     double attackSeconds, double totalSeconds) {
        this.attack = attack;
        this.datasetName = datasetName;
        this.inputSize = inputSize;
        this.numClasses = numClasses;
        this.labels = labels;
        this.cleanPredictions = cleanPredictions.classes();
        this.cleanConfidence = cleanPredictions.confidence();
        this.adversarialPredictions = adversarialPredictions.classes();
        this.adversarialConfidence = adversarialPredictions.confidence();
        this.adversarialExamples = adversarialExamples;
        this.clean = new ClassificationSummary(labels, this.cleanPredictions, cleanConfidence, numClasses);
        this.adversarial = new ClassificationSummary(labels, this.adversarialPredictions, adversarialConfidence,
                numClasses);
        this.attackSeconds = attackSeconds;
        this.totalSeconds = totalSeconds;
    }

    /** @return the attack that produced the adversarial examples */
    public Attack attack() {
        return attack;
    }

    /** @return the name of the evaluated dataset */
    public String datasetName() {
        return datasetName;
    }

    /** @return the number of examples */
    public int size() {
        return labels.length;
    }

    /** @return the number of classes */
    public int numClasses() {
        return numClasses;
    }

    /** @return the number of features per example */
    public int inputSize() {
        return inputSize;
    }

    /** @return the summary of the clean predictions */
    public ClassificationSummary clean() {
        return clean;
    }

    /** @return the summary of the predictions on adversarial examples */
    public ClassificationSummary adversarial() {
        return adversarial;
    }

    /** @return clean accuracy */
    public double cleanAccuracy() {
        return clean.accuracy();
    }

    /** @return accuracy on the adversarial examples */
    public double adversarialAccuracy() {
        return adversarial.accuracy();
    }

    /** @return the 95% Wilson interval of the adversarial accuracy */
    public WilsonInterval adversarialAccuracyInterval() {
        return adversarial.accuracyInterval();
    }

    /** @return {@code cleanAccuracy() − adversarialAccuracy()} */
    public double accuracyDrop() {
        return cleanAccuracy() - adversarialAccuracy();
    }

    /**
     * @return among the examples classified correctly before the attack, the fraction misclassified after
     *         it; NaN when none was correct
     */
    public double attackSuccessRate() {
        int correct = 0;
        int flipped = 0;
        for (int i = 0; i < labels.length; i++) {
            if (cleanPredictions[i] == labels[i]) {
                correct++;
                flipped += adversarialPredictions[i] != labels[i] ? 1 : 0;
            }
        }
        return correct == 0 ? Double.NaN : (double) flipped / correct;
    }

    /** @return a copy of the true labels */
    public int[] labels() {
        return labels.clone();
    }

    /** @return a copy of the clean predictions */
    public int[] cleanPredictions() {
        return cleanPredictions.clone();
    }

    /** @return a copy of the predictions on the adversarial examples */
    public int[] adversarialPredictions() {
        return adversarialPredictions.clone();
    }

    /** @return a copy of the probability of each clean prediction */
    public float[] cleanConfidence() {
        return cleanConfidence.clone();
    }

    /** @return a copy of the probability of each adversarial prediction */
    public float[] adversarialConfidence() {
        return adversarialConfidence.clone();
    }

    /** @return a copy of the adversarial examples, {@code size() × inputSize()} values row-major */
    public float[] adversarialExamples() {
        return adversarialExamples.clone();
    }

    /**
     * @param example an example index
     * @return a copy of that example's adversarial features
     */
    public float[] adversarialExample(int example) {
        float[] out = new float[inputSize];
        System.arraycopy(adversarialExamples, example * inputSize, out, 0, inputSize);
        return out;
    }

    /** @return seconds spent generating adversarial examples */
    public double attackSeconds() {
        return attackSeconds;
    }

    /** @return seconds for the whole evaluation, clean and adversarial predictions included */
    public double totalSeconds() {
        return totalSeconds;
    }

    /**
     * @param limit the most examples to return
     * @return the examples the attack fooled, most confidently wrong first (ties by index)
     */
    public List<Misclassification> worstExamples(int limit) {
        List<Misclassification> fooled = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            if (adversarialPredictions[i] != labels[i]) {
                fooled.add(new Misclassification(i, labels[i], adversarialPredictions[i], adversarialConfidence[i],
                        cleanPredictions[i] == labels[i]));
            }
        }
        fooled.sort(Comparator.comparingDouble((Misclassification m) -> -m.confidence())
                .thenComparingInt(Misclassification::index));
        return List.copyOf(fooled.subList(0, Math.min(limit, fooled.size())));
    }

    /**
     * One adversarial example the model got wrong.
     *
     * @param index the example's position in the dataset
     * @param actual its true class
     * @param predicted the class predicted for its adversarial version
     * @param confidence the probability of that prediction
     * @param cleanCorrect whether the clean example was classified correctly
     */
    public record Misclassification(int index, int actual, int predicted, float confidence, boolean cleanCorrect) {
    }
}
