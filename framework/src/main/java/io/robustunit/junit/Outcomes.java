package io.robustunit.junit;

import java.util.stream.IntStream;

import org.junit.jupiter.api.extension.ExtensionConfigurationException;

import io.robustunit.attack.Attack;
import io.robustunit.attack.Norm;
import io.robustunit.data.LabelledDataset;
import io.robustunit.health.HealthProbes;
import io.robustunit.metrics.EvaluationResult;
import io.robustunit.metrics.RobustnessEvaluator;
import io.robustunit.model.DifferentiableClassifier;

/**
 * Computes each attack's result once per test class, however many invocations ask for it, also concurrently: the
 * class's store computes a key's value once and makes every other caller wait for it or see its failure.
 */
final class Outcomes {

    private record Key(InvocationSpec spec) {
    }

    /** The sample (its size and seed), norm and ε the health probes were measured for. */
    private record ProbesKey(int samples, long seed, Norm norm, double epsilon) {
    }

    private Outcomes() {
    }

    /**
     * @param batchSize examples attacked at once; it does not change the result
     * @param where the asking method, for messages
     */
    static Outcome of(Fixtures fixtures, InvocationSpec spec, int batchSize, String where) {
        return fixtures.store().getOrComputeIfAbsent(new Key(spec), k -> compute(fixtures, spec, batchSize, where),
                Outcome.class);
    }

    private static Outcome compute(Fixtures fixtures, InvocationSpec spec, int batchSize, String where) {
        ModelHandle model = fixtures.model();
        LabelledDataset all = fixtures.testData();
        DifferentiableClassifier classifier = model.classifier(all.featureCount());
        checkCompatible(fixtures.declarations(), model.name, classifier, all);
        int[] indices = spec.samples() == 0 || spec.samples() >= all.size()
                ? IntStream.range(0, all.size()).toArray() : all.stratifiedIndices(spec.samples(), spec.seed());
        LabelledDataset sample = indices.length == all.size() ? all : all.subset(indices);
        Attack attack;
        try {
            attack = spec.toAttack(all.range());
        } catch (IllegalArgumentException e) {
            throw ConfigurationErrors.of("AdversarialTest", where, "cannot attack "
                    + fixtures.declarations().data().description() + ": " + e.getMessage());
        }
        EvaluationResult result;
        try {
            result = RobustnessEvaluator.of(classifier).batchSize(batchSize).evaluate(sample, attack);
        } catch (IllegalArgumentException e) {
            throw ConfigurationErrors.of("AdversarialTest", where, "cannot attack " + model.name + " with "
                    + attack.name() + ": " + e.getMessage());
        }
        HealthProbes probes = fixtures.store().getOrComputeIfAbsent(
                new ProbesKey(spec.samples(), spec.seed(), spec.norm(), spec.epsilon()),
                k -> HealthProbes.measure(classifier, sample, spec.norm(), spec.epsilon(), spec.seed(), batchSize),
                HealthProbes.class);
        return new Outcome(spec, sample, indices, result, all.size(), model.name, model.parameterDigest(),
                classifier.description(), all.name(), probes.assess(result));
    }

    private static void checkCompatible(Declarations declarations, String name, DifferentiableClassifier classifier,
                                        LabelledDataset all) {
        if (all.featureCount() != classifier.inputSize()) {
            throw new ExtensionConfigurationException("Configuration error: " + name + " expects "
                    + classifier.inputSize() + " features per example but " + declarations.data().description()
                    + " has " + all.featureCount());
        }
        if (all.numClasses() > classifier.numClasses()) {
            throw new ExtensionConfigurationException("Configuration error: " + declarations.data().description()
                    + " has labels in [0, " + all.numClasses() + ") but " + name + " predicts only "
                    + classifier.numClasses() + " classes");
        }
    }
}
