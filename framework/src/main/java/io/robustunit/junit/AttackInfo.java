package io.robustunit.junit;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apiguardian.api.API;

import io.robustunit.attack.Attack;

/**
 * What one {@link AdversarialTest} invocation attacks with, injectable as a parameter.
 */
@API(status = STABLE, since = "0.1")
public final class AttackInfo {

    private final Attack attack;
    private final String displayName;
    private final int samples;
    private final int datasetSize;
    private final long seed;

    AttackInfo(Attack attack, String displayName, int samples, int datasetSize, long seed) {
        this.attack = attack;
        this.displayName = displayName;
        this.samples = samples;
        this.datasetSize = datasetSize;
        this.seed = seed;
    }

    /** @return the configured attack, clipping to the data's range */
    public Attack attack() {
        return attack;
    }

    /** @return the perturbation budget */
    public double epsilon() {
        return attack.epsilon();
    }

    /** @return the invocation's display name, e.g. {@code FGSM ε=0.05} */
    public String displayName() {
        return displayName;
    }

    /** @return how many examples were attacked */
    public int samples() {
        return samples;
    }

    /** @return how many examples the declared data holds */
    public int datasetSize() {
        return datasetSize;
    }

    /** @return the seed of the sample and of any random start */
    public long seed() {
        return seed;
    }

    /** @return the attack's parameters, then {@code samples} and {@code seed}: what reproduces the result */
    public Map<String, String> parameters() {
        Map<String, String> p = new LinkedHashMap<>(attack.parameters());
        p.put("samples", String.valueOf(samples));
        p.put("seed", String.valueOf(seed));
        return p;
    }

    @Override
    public String toString() {
        return displayName + " " + parameters();
    }
}
