package io.robustunit.junit;

import io.robustunit.data.LabelledDataset;
import io.robustunit.health.EvaluationHealth;
import io.robustunit.metrics.EvaluationResult;

/**
 * One attack's result on one test class's model and data, shared by every invocation that asks for the same
 * {@link InvocationSpec}.
 *
 * @param spec what was attacked with
 * @param sample the examples attacked
 * @param indices each sample example's index in the declared data
 * @param result predictions and metrics
 * @param datasetSize how many examples the declared data holds
 * @param model the model's name
 * @param modelDigest the SHA-256 of its parameters
 * @param modelDescription the classifier behind it
 * @param dataset the declared data's name
 * @param health whether the evaluation can be trusted
 */
record Outcome(InvocationSpec spec, LabelledDataset sample, int[] indices, EvaluationResult result, int datasetSize,
               String model, String modelDigest, String modelDescription, String dataset, EvaluationHealth health) {

    AttackInfo info(String displayName) {
        return new AttackInfo(result.attack(), displayName, sample.size(), datasetSize, spec.seed());
    }

    AdversarialBatch batch() {
        return new AdversarialBatch(sample, result);
    }
}
