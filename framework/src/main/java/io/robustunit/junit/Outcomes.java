package io.robustunit.junit;

import java.util.stream.IntStream;

import org.junit.jupiter.api.extension.ExtensionConfigurationException;

import io.robustunit.attack.Attack;
import io.robustunit.data.LabelledDataset;
import io.robustunit.metrics.EvaluationResult;
import io.robustunit.metrics.RobustnessEvaluator;

/**
 * Computes each attack's result once per test class, however many invocations ask for it, also concurrently: the
 * class's store computes a key's value once and makes every other caller wait for it or see its failure.
 */
final class Outcomes {

    private record Key(InvocationSpec spec) {
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
        checkCompatible(fixtures.declarations(), model, all);
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
        EvaluationResult result = RobustnessEvaluator.of(model.classifier).batchSize(batchSize).evaluate(sample, attack);
        return new Outcome(spec, sample, indices, result, all.size(), model.name, model.parameterDigest(),
                model.classifier.description(), all.name());
    }

    private static void checkCompatible(Declarations declarations, ModelHandle m, LabelledDataset all) {
        if (all.featureCount() != m.classifier.inputSize()) {
            throw new ExtensionConfigurationException("Configuration error: " + m.name + " expects "
                    + m.classifier.inputSize() + " features per example but " + declarations.data().description()
                    + " has " + all.featureCount());
        }
        if (all.numClasses() > m.classifier.numClasses()) {
            throw new ExtensionConfigurationException("Configuration error: " + declarations.data().description()
                    + " has labels in [0, " + all.numClasses() + ") but " + m.name + " predicts only "
                    + m.classifier.numClasses() + " classes");
        }
    }
}
