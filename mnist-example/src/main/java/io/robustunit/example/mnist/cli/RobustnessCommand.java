package io.robustunit.example.mnist.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.deeplearning4j.nn.api.Model;

import io.robustunit.attack.Attacks;
import io.robustunit.data.LabelledDataset;
import io.robustunit.metrics.ClassificationSummary;
import io.robustunit.metrics.EvaluationResult;
import io.robustunit.metrics.RobustnessEvaluator;
import io.robustunit.model.DifferentiableClassifier;
import io.robustunit.model.dl4j.Dl4jModels;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code robustness}: the accuracy-vs-ε table under FGSM and PGD, with timings. */
@Command(name = "robustness", mixinStandardHelpOptions = true,
        description = "Print accuracy under FGSM and PGD over an ε grid, with timings.")
final class RobustnessCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data = new DataOptions();

    @Mixin
    ModelOptions model = new ModelOptions();

    @Option(names = "--epsilons", split = ",", defaultValue = "0,0.05,0.1,0.15,0.2,0.25,0.3",
            description = "ε grid; 0 means no attack (default: ${DEFAULT-VALUE}).")
    List<Double> epsilons;

    @Option(names = "--pgd-steps", defaultValue = "20", description = "PGD steps, each of 2.5·ε/steps (default: ${DEFAULT-VALUE}).")
    int pgdSteps;

    @Option(names = "--batch-size", defaultValue = "1000", description = "Examples per batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--samples", defaultValue = "0", paramLabel = "N",
            description = "Evaluate a stratified sample of N test examples (default: all).")
    int samples;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the sample (default: ${DEFAULT-VALUE}).")
    long seed;

    private static final int NO_EXAMPLE = Integer.MIN_VALUE;

    @Option(names = "--example", defaultValue = "" + NO_EXAMPLE, paramLabel = "INDEX", showDefaultValue =
            CommandLine.Help.Visibility.NEVER,
            description = "Also show what the model predicts for this test image under FGSM at each ε.")
    int example;

    @Option(names = "--png-dir", paramLabel = "DIR", description = "With --example: write the clean and FGSM images here as PNG.")
    Path pngDir;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        for (double eps : epsilons) {
            if (eps != 0) {
                Attacks.fgsm(eps);
            }
        }
        CliChecks.atLeast("--samples", samples, 0, " (0 means all)");
        CliChecks.atLeast("--pgd-steps", pgdSteps, 1, "");
        CliChecks.atLeast("--batch-size", batchSize, 1, "");
        if (pngDir != null && example == NO_EXAMPLE) {
            throw new IllegalArgumentException("--png-dir needs --example INDEX: it writes that example's images");
        }
        Model network = model.loadAny();
        LabelledDataset fullTest = data.test();
        if (example != NO_EXAMPLE) {
            CliChecks.within("--example", example, 0, fullTest.size() - 1);
        }
        if (samples > fullTest.size()) {
            CliChecks.within("--samples", samples, 0, fullTest.size());
        }
        LabelledDataset test = samples > 0 ? fullTest.stratifiedSample(samples, seed) : fullTest;
        // the data's feature count fixes the image size where the network does not record it (a CNN declared
        // with InputType.convolutional, an imported Keras CNN)
        DifferentiableClassifier classifier = Dl4jModels.trainable(network).classifier(test.featureCount());
        RobustnessEvaluator evaluator = RobustnessEvaluator.of(classifier).batchSize(batchSize);
        out.printf(Locale.ROOT, "%s, %s%nparameters sha256 %s%n%s: %d examples, batch %d%n", model.name(),
                classifier.description(), Dl4jModels.parameterDigest(network), test.name(), test.size(), batchSize);
        out.printf(Locale.ROOT, "FGSM: untargeted L∞.  PGD: untargeted L∞, %d steps of 2.5·ε/%d, no random start.%n%n",
                pgdSteps, pgdSteps);
        long start = System.nanoTime();
        ClassificationSummary clean = evaluator.evaluateClean(test);
        ConsoleTable table = new ConsoleTable("ε", "FGSM acc", "FGSM 95% CI", "PGD acc", "PGD 95% CI", "FGSM s", "PGD s");
        List<Row> rows = new ArrayList<>();
        for (double eps : epsilons) {
            if (eps == 0) {
                String ci = interval(clean);
                table.row("0", ConsoleTable.percent(clean.accuracy()), ci, ConsoleTable.percent(clean.accuracy()), ci, "-", "-");
                continue;
            }
            EvaluationResult fgsm = evaluator.evaluate(test, Attacks.fgsm(eps));
            EvaluationResult pgd = evaluator.evaluate(test, Attacks.pgd(eps).withSteps(pgdSteps));
            rows.add(new Row(fgsm.attackSeconds(), pgd.attackSeconds()));
            table.row(ConsoleTable.number(eps), ConsoleTable.percent(fgsm.adversarialAccuracy()), interval(fgsm.adversarial()),
                    ConsoleTable.percent(pgd.adversarialAccuracy()), interval(pgd.adversarial()),
                    String.format(Locale.ROOT, "%.3f", fgsm.attackSeconds()),
                    String.format(Locale.ROOT, "%.3f", pgd.attackSeconds()));
        }
        out.print(table.render());
        double fgsmSeconds = rows.stream().mapToDouble(Row::fgsmSeconds).sum();
        double pgdSeconds = rows.stream().mapToDouble(Row::pgdSeconds).sum();
        out.printf(Locale.ROOT, "%ntotal %.2fs; FGSM %.0f images/s, PGD-%d %.0f images/s (attack generation only)%n",
                (System.nanoTime() - start) / 1e9, rows.size() * test.size() / Math.max(fgsmSeconds, 1e-9),
                pgdSteps, rows.size() * test.size() / Math.max(pgdSeconds, 1e-9));
        PeakMemory.residentMegabytes().ifPresent(mb -> out.printf(Locale.ROOT, "peak RSS %d MB%n", mb));
        if (example != NO_EXAMPLE) {
            new ExampleView(classifier, fullTest, example).print(out, epsilons, pngDir);
        }
        out.flush();
        return 0;
    }

    private static String interval(ClassificationSummary summary) {
        return "[" + ConsoleTable.percent(summary.accuracyInterval().lower()) + ", "
                + ConsoleTable.percent(summary.accuracyInterval().upper()) + "]";
    }

    private record Row(double fgsmSeconds, double pgdSeconds) {
    }
}
