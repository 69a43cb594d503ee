package io.robustunit.example.mnist.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import io.robustunit.data.LabelledDataset;
import io.robustunit.example.mnist.ReferenceMlp;
import io.robustunit.metrics.RobustnessEvaluator;
import io.robustunit.model.dl4j.Dl4jClassifiers;
import io.robustunit.model.dl4j.Dl4jModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code train}: trains the reference MLP and writes it atomically. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the reference MLP and save it (written atomically).")
final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data = new DataOptions();

    @Option(names = "--epochs", defaultValue = "" + ReferenceMlp.DEFAULT_EPOCHS, description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "" + ReferenceMlp.DEFAULT_BATCH_SIZE,
            description = "Minibatch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--seed", defaultValue = "" + ReferenceMlp.DEFAULT_SEED, description = "Seed of initialization and shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--train-samples", defaultValue = "0", paramLabel = "N",
            description = "Train on a stratified sample of N examples instead of all (default: all).")
    int trainSamples;

    @Option(names = "--output", defaultValue = "target/mnist-mlp.zip", paramLabel = "FILE",
            description = "Where to write the model (default: ${DEFAULT-VALUE}).")
    Path output;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        CliChecks.atLeast("--epochs", epochs, 1, "");
        CliChecks.atLeast("--batch-size", batchSize, 1, "");
        CliChecks.atLeast("--train-samples", trainSamples, 0, " (0 means all)");
        CliChecks.writableFile("--output", output);
        LabelledDataset train = data.train();
        if (trainSamples > 0) {
            CliChecks.within("--train-samples", trainSamples, 0, train.size());
            train = train.stratifiedSample(trainSamples, seed);
        }
        LabelledDataset test = data.test();
        out.printf(Locale.ROOT, "training %s on %d examples (%s): %d epochs, batch %d, Adam lr %s, seed %d%n",
                "784-128-10 MLP", train.size(), train.name(), epochs, batchSize, ReferenceMlp.LEARNING_RATE, seed);
        MultiLayerNetwork network = ReferenceMlp.create(seed);
        ConsoleProgressBar bar = ConsoleProgressBar.forTerminal(out);
        long start = System.nanoTime();
        LabelledDataset trainSet = train;
        ReferenceMlp.train(network, train, epochs, batchSize, seed, new ReferenceMlp.Progress() {
            @Override
            public void batchDone(int epoch, int batch, int batches) {
                bar.update("epoch " + epoch + "/" + epochs, batch, batches);
            }

            @Override
            public void epochDone(int epoch, double meanLoss, double seconds) {
                bar.clear();
                RobustnessEvaluator evaluator = RobustnessEvaluator.of(Dl4jClassifiers.of(network));
                double trainAccuracy = evaluator.evaluateClean(trainSet).accuracy();
                double testAccuracy = evaluator.evaluateClean(test).accuracy();
                double elapsed = (System.nanoTime() - start) / 1e9;
                double eta = elapsed / epoch * (epochs - epoch);
                out.printf(Locale.ROOT, "epoch %2d/%d  loss %.4f  train %.2f%%  test %.2f%%  %s  elapsed %s  ETA %s%n",
                        epoch, epochs, meanLoss, 100 * trainAccuracy, 100 * testAccuracy, Durations.format(seconds),
                        Durations.format(elapsed), Durations.format(eta));
                out.flush();
            }
        });
        Dl4jModels.save(network, output, false);
        out.printf(Locale.ROOT, "wrote %s (parameters sha256 %s)%n", output, Dl4jModels.parameterDigest(network));
        out.flush();
        return 0;
    }
}
