package io.robustunit.junit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;
import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * The built-in attacks an {@link AdversarialTest} can run. Run an attack of your own with {@link AttackSource}.
 * Every random choice of an attack is seeded by the test's seed. FGSM is a fast smoke gate; {@link #AUTO} is the
 * release gate that gradient masking cannot fool.
 */
@API(status = STABLE, since = "0.1")
public enum AttackKind {
    /** The fast gradient sign method: one step of ε (with {@code norm = L2}: the fast gradient method, FGM). */
    FGSM,
    /** Projected gradient descent: iterated steps projected onto the ε-ball; see {@link Pgd}. */
    PGD,
    /** Auto-PGD on the cross-entropy, AutoAttack's settings: 100 iterations, momentum, adaptive step. */
    @API(status = EXPERIMENTAL, since = "0.2")
    APGD_CE,
    /** Auto-PGD on the difference-of-logits ratio; needs at least 3 classes. */
    @API(status = EXPERIMENTAL, since = "0.2")
    APGD_DLR,
    /** Auto-PGD on the targeted DLR loss, towards each of the top 9 other classes in turn; needs 4 classes. */
    @API(status = EXPERIMENTAL, since = "0.2")
    APGD_T,
    /** The Square Attack: 5,000 queries of the probabilities, no gradient. */
    @API(status = EXPERIMENTAL, since = "0.2")
    SQUARE,
    /**
     * The AutoAttack ensemble: APGD-CE, then APGD-T, then Square, each on the examples still classified correctly;
     * FAB-T is omitted. Needs at least 4 classes.
     */
    @API(status = EXPERIMENTAL, since = "0.2")
    AUTO
}
