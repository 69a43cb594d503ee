package io.robustunit.example.mnist.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import io.robustunit.data.LabelledDataset;
import io.robustunit.example.mnist.MnistData;
import io.robustunit.example.mnist.MnistTraining;
import io.robustunit.example.mnist.ReferenceLenet;
import io.robustunit.example.mnist.ReferenceMlp;
import io.robustunit.metrics.RobustnessEvaluator;
import io.robustunit.model.dl4j.Dl4jModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code train}: trains the reference MLP or LeNet and writes it atomically. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the reference MLP or LeNet CNN and save it (written atomically).")
final class TrainCommand implements Callable<Integer> {

    /** The architectures the command trains, with the settings of their shipped models. */
    enum Arch {
        mlp("784-128-10 MLP", ReferenceMlp.DEFAULT_EPOCHS, ReferenceMlp.DEFAULT_BATCH_SIZE, ReferenceMlp.LEARNING_RATE),
        lenet("LeNet CNN (conv 5x5x20, pool, conv 5x5x50, pool, dense 500, softmax 10)", ReferenceLenet.DEFAULT_EPOCHS,
                ReferenceLenet.DEFAULT_BATCH_SIZE, ReferenceLenet.LEARNING_RATE);

        final String description;
        final int epochs;
        final int batchSize;
        final double learningRate;

        Arch(String description, int epochs, int batchSize, double learningRate) {
            this.description = description;
            this.epochs = epochs;
            this.batchSize = batchSize;
            this.learningRate = learningRate;
        }

        MultiLayerNetwork create(long seed) {
            return this == mlp ? ReferenceMlp.create(seed) : ReferenceLenet.create(seed);
        }
    }

    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data = new DataOptions();

    @Option(names = "--arch", defaultValue = "mlp", paramLabel = "ARCH",
            description = "Architecture: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Arch arch;

    @Option(names = "--epochs", paramLabel = "N",
            description = "Epochs (default: " + ReferenceMlp.DEFAULT_EPOCHS + " for mlp, " + ReferenceLenet.DEFAULT_EPOCHS
                    + " for lenet).")
    Integer epochs;

    @Option(names = "--batch-size", paramLabel = "N",
            description = "Minibatch size (default: " + ReferenceMlp.DEFAULT_BATCH_SIZE + " for mlp, "
                    + ReferenceLenet.DEFAULT_BATCH_SIZE + " for lenet).")
    Integer batchSize;

    @Option(names = "--seed", defaultValue = "" + ReferenceMlp.DEFAULT_SEED, description = "Seed of initialization and shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--train-samples", defaultValue = "0", paramLabel = "N",
            description = "Train on a stratified sample of N examples instead of all (default: all).")
    int trainSamples;

    @Option(names = "--output", paramLabel = "FILE",
            description = "Where to write the model (default: target/mnist-<arch>.zip).")
    Path output;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        int epochs = this.epochs != null ? this.epochs : arch.epochs;
        int batchSize = this.batchSize != null ? this.batchSize : arch.batchSize;
        Path output = this.output != null ? this.output : Path.of("target", "mnist-" + arch + ".zip");
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
                arch.description, train.size(), train.name(), epochs, batchSize, arch.learningRate, seed);
        MultiLayerNetwork network = arch.create(seed);
        ConsoleProgressBar bar = ConsoleProgressBar.forTerminal(out);
        long start = System.nanoTime();
        LabelledDataset trainSet = train;
        MnistTraining.train(network, train, epochs, batchSize, seed, new MnistTraining.Progress() {
            @Override
            public void batchDone(int epoch, int batch, int batches) {
                bar.update("epoch " + epoch + "/" + epochs, batch, batches);
            }

            @Override
            public void epochDone(int epoch, double meanLoss, double seconds) {
                bar.clear();
                // the data's 784 pixels tell the LeNet's input type which image size it is
                RobustnessEvaluator evaluator = RobustnessEvaluator.of(
                        Dl4jModels.trainable(network).classifier(MnistData.PIXELS));
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
