package io.robustunit.example.mnist.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.robustunit.attack.Attacks;
import io.robustunit.data.LabelledDataset;
import io.robustunit.example.mnist.MnistData;
import io.robustunit.example.mnist.ReferenceMlp;
import io.robustunit.metrics.RobustnessEvaluator;
import io.robustunit.model.dl4j.Dl4jClassifiers;
import io.robustunit.model.dl4j.Dl4jModels;
import io.robustunit.training.AdversarialTrainer;
import io.robustunit.training.TrainingGenerator;
import io.robustunit.training.TrainingReport;

/** Adversarial training on real MNIST, kept short: one epoch over a stratified subset. */
class MnistAdversarialTrainingTest {

    @Test
    void theShippedHardenedModelMeetsItsTargetsOnTheFullTestSet() throws IOException {
        LabelledDataset test = MnistData.test();
        RobustnessEvaluator evaluator = RobustnessEvaluator.of(Dl4jClassifiers.of(
                ReferenceMlp.load(ReferenceMlp.SHIPPED_HARDENED_MODEL)));
        assertThat(evaluator.evaluateClean(test).accuracy()).isGreaterThanOrEqualTo(0.975);
        assertThat(evaluator.evaluate(test, Attacks.fgsm(0.1)).adversarialAccuracy()).isGreaterThanOrEqualTo(0.88);
        assertThat(evaluator.evaluate(test, Attacks.pgd(0.1).withSteps(20)).adversarialAccuracy()).isGreaterThanOrEqualTo(0.70);
    }

    @Test
    void oneShortEpochRaisesFgsmAndPgdAccuracyAndSavesALoadableModel(@TempDir Path dir) throws IOException {
        LabelledDataset train = MnistData.train().stratifiedSample(6000, 1);
        LabelledDataset test = MnistData.test().stratifiedSample(1000, 2);
        MultiLayerNetwork shipped = ReferenceMlp.loadShipped();
        RobustnessEvaluator before = RobustnessEvaluator.of(Dl4jClassifiers.of(shipped));

        // tag::train[]
        MultiLayerNetwork hardened = shipped.clone();    // the trainer trains the network it is given
        TrainingReport report = AdversarialTrainer.of(TrainingGenerator.FGSM_RANDOM_START, 0.1).epochs(1).batchSize(64)
                .train(Dl4jModels.trainable(hardened), train, test, epoch -> System.out.println(epoch));
        // end::train[]

        RobustnessEvaluator after = RobustnessEvaluator.of(Dl4jClassifiers.of(hardened));
        double fgsmBefore = before.evaluate(test, Attacks.fgsm(0.1)).adversarialAccuracy();
        double fgsmAfter = after.evaluate(test, Attacks.fgsm(0.1)).adversarialAccuracy();
        double pgdBefore = before.evaluate(test, Attacks.pgd(0.1).withSteps(10)).adversarialAccuracy();
        double pgdAfter = after.evaluate(test, Attacks.pgd(0.1).withSteps(10)).adversarialAccuracy();
        assertThat(fgsmAfter).isGreaterThan(fgsmBefore + 0.2);
        assertThat(pgdAfter).isGreaterThan(pgdBefore + 0.2);
        assertThat(after.evaluateClean(test).accuracy()).isGreaterThan(0.93);
        assertThat(report.last().adversarialAccuracy()).isEqualTo(fgsmAfter);
        assertThat(Dl4jModels.parameterDigest(shipped)).isEqualTo(Dl4jModels.parameterDigest(ReferenceMlp.loadShipped()));

        Path file = dir.resolve("hardened.zip");
        Dl4jModels.save(hardened, file, false);
        assertThat(Dl4jModels.parameterDigest(ReferenceMlp.load(file))).isEqualTo(Dl4jModels.parameterDigest(hardened));
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }
}
