package io.robustunit.junit;

import java.util.Map;

import io.robustunit.attack.Attack;

/**
 * What one {@link AdversarialTest} invocation attacks with, injectable as a parameter.
 *
 * @param attack the configured attack
 * @param kind FGSM or PGD
 * @param samples how many examples were attacked
 * @param datasetSize how many examples the declared data holds
 * @param seed the seed of the sample and of any random start
 */
public record AttackInfo(Attack attack, AttackKind kind, int samples, int datasetSize, long seed) {

    /** @return the perturbation budget */
    public double epsilon() {
        return attack.epsilon();
    }

    /** @return e.g. {@code FGSM ε=0.05} */
    public String displayName() {
        return attack.displayName();
    }

    /** @return the attack's parameters, with samples and seed */
    public Map<String, String> parameters() {
        Map<String, String> p = new java.util.LinkedHashMap<>(attack.parameters());
        p.put("samples", String.valueOf(samples));
        p.put("seed", String.valueOf(seed));
        return p;
    }
}
