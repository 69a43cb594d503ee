package io.robustunit.example.mnist.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import io.robustunit.data.LabelledDataset;
import io.robustunit.example.mnist.ReferenceMlp;
import io.robustunit.model.dl4j.Dl4jModels;
import io.robustunit.training.AdversarialTrainer;
import io.robustunit.training.TrainingGenerator;
import io.robustunit.training.TrainingReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code harden}: adversarially fine-tunes a model and reports FGSM and PGD accuracy before and after. */
@Command(name = "harden", mixinStandardHelpOptions = true,
        description = "Adversarially train a model (mixed loss α·J(x) + (1−α)·J(x_adv)) and compare FGSM and PGD "
                + "accuracy before and after over the ε grid.")
final class HardenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data = new DataOptions();

    @Mixin
    ModelOptions model = new ModelOptions();

    @Option(names = "--from-scratch", description = "Start from a fresh initialization instead of the model.")
    boolean fromScratch;

    @Option(names = "--generator", defaultValue = "FGSM",
            description = "FGSM, FGSM_RANDOM_START or PGD (default: ${DEFAULT-VALUE}).")
    TrainingGenerator generator;

    @Option(names = "--epsilon", defaultValue = "0.1", description = "Training ε (default: ${DEFAULT-VALUE}).")
    double epsilon;

    @Option(names = "--alpha", defaultValue = "0.5", description = "Weight of the clean loss (default: ${DEFAULT-VALUE}).")
    double alpha;

    @Option(names = "--epochs", defaultValue = "5", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "64", description = "Clean examples per minibatch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--pgd-train-steps", defaultValue = "" + AdversarialTrainer.DEFAULT_PGD_STEPS,
            description = "Steps of the PGD generator (default: ${DEFAULT-VALUE}).")
    int pgdTrainSteps;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--held-out", defaultValue = "1000", paramLabel = "N",
            description = "Test examples checked after each epoch (default: ${DEFAULT-VALUE}).")
    int heldOut;

    @Option(names = "--epsilons", split = ",", defaultValue = "0.05,0.1,0.15,0.2,0.25,0.3",
            description = "ε grid of the final evaluation (default: ${DEFAULT-VALUE}).")
    List<Double> epsilons;

    @Option(names = "--pgd-steps", defaultValue = "20", description = "PGD steps of the final evaluation (default: ${DEFAULT-VALUE}).")
    int pgdSteps;

    @Option(names = "--output", defaultValue = "target/mnist-mlp-hardened.zip", paramLabel = "FILE",
            description = "Where to write the hardened model (default: ${DEFAULT-VALUE}).")
    Path output;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        CliChecks.writableFile("--output", output);
        CliChecks.atLeast("--pgd-steps", pgdSteps, 1, "");
        AdversarialTrainer trainer = AdversarialTrainer.of(generator, epsilon).alpha(alpha).epochs(epochs)
                .batchSize(batchSize).seed(seed).pgdSteps(pgdTrainSteps);
        MultiLayerNetwork network = fromScratch ? ReferenceMlp.create(seed) : model.load();
        LabelledDataset train = data.train();
        LabelledDataset test = data.test();
        CliChecks.within("--held-out", heldOut, 1, test.size());
        RobustnessTable before = RobustnessTable.measure(network, test, epsilons, pgdSteps);
        out.printf(Locale.ROOT, "%s%nstarting from %s; held-out check on %d test examples%n", trainer,
                fromScratch ? "a fresh initialization (seed " + seed + ")" : model.name(), heldOut);
        out.flush();
        ConsoleProgressBar bar = ConsoleProgressBar.forTerminal(out);
        TrainingReport report = trainer.train(Dl4jModels.trainable(network), train, test.stratifiedSample(heldOut, seed),
                new AdversarialTrainer.Progress() {
                    @Override
                    public void batchDone(int epoch, int batch, int batches) {
                        bar.update("epoch " + epoch + "/" + epochs, batch, batches);
                    }

                    @Override
                    public void epochDone(io.robustunit.training.EpochReport r) {
                        bar.clear();
                        out.printf(Locale.ROOT, "epoch %d/%d  loss %.4f  held-out clean %.2f%%  FGSM ε=%s %.2f%%  %s%n",
                                r.epoch(), epochs, r.meanLoss(), 100 * r.cleanAccuracy(),
                                ConsoleTable.number(epsilon), 100 * r.adversarialAccuracy(),
                                Durations.format(r.seconds()));
                        out.flush();
                    }
                });
        Dl4jModels.save(network, output, false);
        RobustnessTable after = RobustnessTable.measure(network, test, epsilons, pgdSteps);
        out.printf(Locale.ROOT, "training took %s; wrote %s (parameters sha256 %s)%n%n",
                Durations.format(report.seconds()), output, Dl4jModels.parameterDigest(network));
        out.print(RobustnessTable.compare(before, after, pgdSteps));
        out.flush();
        return 0;
    }
}
