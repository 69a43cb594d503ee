package io.robustunit.metrics;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * Accuracy, confidence, per-class accuracy and confusion matrix of one set of predictions.
 */
@API(status = STABLE, since = "0.1")
public final class ClassificationSummary {

    private final int size;
    private final int correct;
    private final double meanConfidence;
    private final double[] perClassAccuracy;
    private final ConfusionMatrix confusion;

    ClassificationSummary(int[] labels, int[] predictions, float[] confidence, int numClasses) {
        this.size = labels.length;
        int hits = 0;
        double confidenceSum = 0;
        int[] classTotal = new int[numClasses];
        int[] classHits = new int[numClasses];
        for (int i = 0; i < labels.length; i++) {
            boolean hit = labels[i] == predictions[i];
            hits += hit ? 1 : 0;
            classTotal[labels[i]]++;
            classHits[labels[i]] += hit ? 1 : 0;
            confidenceSum += confidence[i];
        }
        this.correct = hits;
        this.meanConfidence = size == 0 ? Double.NaN : confidenceSum / size;
        this.perClassAccuracy = new double[numClasses];
        for (int c = 0; c < numClasses; c++) {
            perClassAccuracy[c] = classTotal[c] == 0 ? Double.NaN : (double) classHits[c] / classTotal[c];
        }
        this.confusion = new ConfusionMatrix(labels, predictions, numClasses);
    }

    /** @return the number of examples */
    public int size() {
        return size;
    }

    /** @return the number of correct predictions */
    public int correct() {
        return correct;
    }

    /** @return the fraction of correct predictions */
    public double accuracy() {
        return size == 0 ? Double.NaN : (double) correct / size;
    }

    /** @return the 95% Wilson interval of the accuracy */
    public WilsonInterval accuracyInterval() {
        return WilsonInterval.of95(correct, size);
    }

    /** @return the mean probability of the predicted class */
    public double meanConfidence() {
        return meanConfidence;
    }

    /** @return accuracy per true class; NaN for a class without examples */
    public double[] perClassAccuracy() {
        return perClassAccuracy.clone();
    }

    /** @return the confusion matrix */
    public ConfusionMatrix confusionMatrix() {
        return confusion;
    }
}
