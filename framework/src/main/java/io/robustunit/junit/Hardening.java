package io.robustunit.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;

import org.junit.jupiter.api.extension.ExtensionConfigurationException;

import io.robustunit.attack.Attacks;
import io.robustunit.attack.Norm;
import io.robustunit.data.LabelledDataset;
import io.robustunit.metrics.RobustnessEvaluator;
import io.robustunit.model.DifferentiableClassifier;
import io.robustunit.model.TrainableNetwork;
import io.robustunit.report.TextTable;
import io.robustunit.training.AdversarialTrainer;
import io.robustunit.training.TrainingGenerator;

/** What {@link HardenOnFailure} does for a failed invocation: train a copy, re-evaluate it, save it. */
final class Hardening {

    private Hardening() {
    }

    /** Everything that determines the hardened candidate; equal keys share one training run. */
    record Key(InvocationSpec spec, TrainingGenerator generator, int epochs, int samples, double alpha, int batchSize,
               double epsilon, int pgdSteps, String fileStem) {
    }

    /**
     * The hardened candidate's numbers on the invocation's sample.
     *
     * @param clean clean accuracy
     * @param fgsm accuracy under FGSM (or FGM for L2) at the invocation's ε
     * @param pgd accuracy under PGD at the invocation's ε
     * @param pgdSteps PGD's steps
     * @param epsilon the invocation's ε
     * @param file where the candidate was saved
     */
    record Result(double clean, double fgsm, double pgd, int pgdSteps, double epsilon, Path file) {

        String describe() {
            return String.format(Locale.ROOT, "a hardened candidate reaches %s (FGSM) / %s (PGD-%d) at ε=%s with clean "
                    + "accuracy %s; saved to %s", TextTable.percent(fgsm), TextTable.percent(pgd), pgdSteps,
                    Settings.format(epsilon), TextTable.percent(clean), file);
        }
    }

    static Key key(HardenOnFailure h, InvocationSpec spec, TestSettings settings) {
        if (Double.isNaN(h.epsilon()) && spec.norm() != Norm.LINF) {
            throw ConfigurationErrors.of("HardenOnFailure", settings.where(), "trains with L∞ attacks; set its "
                    + "epsilon for an " + spec.norm().symbol() + " test");
        }
        double epsilon = Double.isNaN(h.epsilon()) ? spec.epsilon() : h.epsilon();
        String stem = settings.method.getDeclaringClass().getSimpleName() + "." + settings.method.getName() + "-"
                + spec.attackName() + "-eps" + Settings.format(spec.epsilon());
        return new Key(spec, h.generator(), h.epochs(), h.samples(), h.alpha(), h.batchSize(), epsilon, h.pgdSteps(),
                stem);
    }

    static Result run(Key key, ModelHandle model, LabelledDataset training, Outcome outcome, Path directory) {
        if (model.network == null) {
            throw new ExtensionConfigurationException("Configuration error: @HardenOnFailure needs a trainable network "
                    + "(a DL4J MultiLayerNetwork or ComputationGraph), but " + model.name + " is a " + model.kind());
        }
        InvocationSpec spec = key.spec();
        LabelledDataset sample = outcome.sample();
        LabelledDataset train = key.samples() == 0 || key.samples() >= training.size() ? training
                : training.stratifiedSample(key.samples(), spec.seed());
        try (TrainableNetwork copy = model.network.copy()) {
            AdversarialTrainer.of(key.generator(), key.epsilon()).alpha(key.alpha()).epochs(key.epochs())
                    .batchSize(key.batchSize()).seed(spec.seed()).train(copy, train, sample, report -> { });
            DifferentiableClassifier hardened = copy.classifier(sample.featureCount());
            RobustnessEvaluator evaluator = RobustnessEvaluator.of(hardened);
            double fgsm = evaluator.evaluate(sample, Attacks.fgm(spec.epsilon(), spec.norm(), sample.range()))
                    .adversarialAccuracy();
            double pgd = evaluator.evaluate(sample, Attacks.pgd(spec.epsilon(), spec.norm(), sample.range())
                    .withSteps(key.pgdSteps())).adversarialAccuracy();
            double clean = evaluator.evaluateClean(sample).accuracy();
            Path file = directory.resolve(key.fileStem() + ".zip").toAbsolutePath().normalize();
            try {
                copy.save(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot save the hardened model to " + file, e);
            }
            return new Result(clean, fgsm, pgd, key.pgdSteps(), spec.epsilon(), file);
        }
    }
}
