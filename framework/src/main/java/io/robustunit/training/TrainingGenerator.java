package io.robustunit.training;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/** How {@link AdversarialTrainer} makes the adversarial half of each minibatch. */
@API(status = EXPERIMENTAL, since = "0.1")
public enum TrainingGenerator {
    /** FGSM, {@code x + ε·sign(∇J)} (Goodfellow et al. 2014). Cheap; can overfit to FGSM. */
    FGSM,
    /**
     * FGSM from a uniform random start in the ε-ball, with a step of 1.25·ε, projected back (Wong et al. 2020,
     * "Fast is better than free"). As cheap as FGSM and less prone to catastrophic overfitting.
     */
    FGSM_RANDOM_START,
    /** PGD with a random start (Madry et al. 2018): the strongest and {@code steps} times as expensive. */
    PGD
}
