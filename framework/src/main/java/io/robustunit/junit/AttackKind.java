package io.robustunit.junit;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * The built-in attacks an {@link AdversarialTest} can run. Run an attack of your own with {@link AttackSource}.
 */
@API(status = STABLE, since = "0.1")
public enum AttackKind {
    /** The fast gradient sign method: one step of ε (with {@code norm = L2}: the fast gradient method, FGM). */
    FGSM,
    /** Projected gradient descent: iterated steps projected onto the ε-ball; see {@link Pgd}. */
    PGD
}
