package io.robustunit.junit;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

import io.robustunit.attack.Attack;
import io.robustunit.data.LabelledDataset;
import io.robustunit.metrics.EvaluationResult;

/**
 * The examples one {@link AdversarialTest} invocation attacked, injectable as a parameter: each clean
 * input with its adversarial version, its label and both predictions.
 */
@API(status = STABLE, since = "0.1")
public final class AdversarialBatch {

    private final LabelledDataset clean;
    private final EvaluationResult result;

    AdversarialBatch(LabelledDataset clean, EvaluationResult result) {
        this.clean = clean;
        this.result = result;
    }

    /** @return the number of examples */
    public int size() {
        return clean.size();
    }

    /** @return features per example */
    public int inputSize() {
        return clean.featureCount();
    }

    /** @return the attack */
    public Attack attack() {
        return result.attack();
    }

    /** @return the perturbation budget */
    public double epsilon() {
        return result.attack().epsilon();
    }

    /** @return the clean examples as a dataset */
    public LabelledDataset cleanData() {
        return clean;
    }

    /**
     * @param example an index in {@code [0, size())}
     * @return a copy of its clean features
     */
    public float[] cleanInput(int example) {
        float[] out = new float[inputSize()];
        clean.copyFeatures(example, 1, out, 0);
        return out;
    }

    /**
     * @param example an index in {@code [0, size())}
     * @return a copy of its adversarial features
     */
    public float[] adversarialInput(int example) {
        return result.adversarialExample(example);
    }

    /** @return a copy of all adversarial features, row-major */
    public float[] adversarialInputs() {
        return result.adversarialExamples();
    }

    /**
     * @param example an index in {@code [0, size())}
     * @return its true label
     */
    public int label(int example) {
        return clean.label(example);
    }

    /** @return a copy of the clean predictions */
    public int[] cleanPredictions() {
        return result.cleanPredictions();
    }

    /** @return a copy of the predictions on the adversarial examples */
    public int[] adversarialPredictions() {
        return result.adversarialPredictions();
    }

    /** @return the full evaluation, with metrics */
    public EvaluationResult result() {
        return result;
    }
}
