package io.robustunit.training;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * What one epoch of {@link AdversarialTrainer} achieved, measured on the held-out sample.
 *
 * @param epoch the epoch, from 1
 * @param meanLoss the mean minibatch loss of the mixed objective
 * @param cleanAccuracy held-out accuracy on clean examples
 * @param adversarialAccuracy held-out accuracy under FGSM at the training ε
 * @param seconds the epoch's wall time, evaluation excluded
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record EpochReport(int epoch, double meanLoss, double cleanAccuracy, double adversarialAccuracy,
                          double seconds) {
}
