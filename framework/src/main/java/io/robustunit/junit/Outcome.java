package io.robustunit.junit;

import io.robustunit.data.LabelledDataset;
import io.robustunit.metrics.EvaluationResult;

/**
 * One attack's result on one test class's model and data, shared by every invocation that asks for the
 * same {@link InvocationSpec}.
 *
 * @param spec what was attacked with
 * @param sample the examples attacked
 * @param indices each sample example's index in the declared data
 * @param result predictions and metrics
 * @param info the attack, for injection
 * @param model the model's name
 * @param modelDigest the SHA-256 of its parameters
 * @param dataset the declared data's name
 */
record Outcome(InvocationSpec spec, LabelledDataset sample, int[] indices, EvaluationResult result, AttackInfo info, String model,
               String modelDigest, String dataset) {

    AdversarialBatch batch() {
        return new AdversarialBatch(sample, result);
    }
}
