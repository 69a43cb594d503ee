package io.robustunit.junit;

/** The attacks an {@link AdversarialTest} can run. */
public enum AttackKind {
    /** The fast gradient sign method: one step of ε (with {@code norm = L2}: the fast gradient method). */
    FGSM,
    /** Projected gradient descent: iterated steps projected onto the ε-ball; see {@link Pgd}. */
    PGD
}
