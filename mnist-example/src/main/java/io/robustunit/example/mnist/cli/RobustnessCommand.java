package io.robustunit.example.mnist.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.deeplearning4j.nn.api.Model;

import io.robustunit.attack.Attack;
import io.robustunit.attack.Attacks;
import io.robustunit.attack.AutoProjectedGradientDescent;
import io.robustunit.data.LabelledDataset;
import io.robustunit.junit.AttackKind;
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

/** {@code robustness}: the accuracy-vs-ε table under the chosen attacks (FGSM and PGD by default), with timings. */
@Command(name = "robustness", mixinStandardHelpOptions = true,
        description = "Print accuracy under attack (FGSM and PGD, or those of --attack) over an ε grid, with timings.")
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

    @Option(names = "--attack", split = ",", defaultValue = "FGSM,PGD", paramLabel = "ATTACK",
            description = "Attacks, a comma-separated list of ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). "
                    + "AUTO is APGD-CE, APGD-T, then Square, as AutoAttack runs them.")
    List<AttackKind> attacks;

    @Option(names = "--pgd-steps", defaultValue = "20", description = "PGD steps, each of 2.5·ε/steps (default: ${DEFAULT-VALUE}).")
    int pgdSteps;

    @Option(names = "--batch-size", defaultValue = "1000", description = "Examples per batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--samples", defaultValue = "0", paramLabel = "N",
            description = "Evaluate a stratified sample of N test examples (default: all).")
    int samples;

    @Option(names = "--seed", defaultValue = "42",
            description = "Seed of the sample and of the attacks' random choices (default: ${DEFAULT-VALUE}).")
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
        CliChecks.atLeast("--samples", samples, 0, " (0 means all)");
        CliChecks.atLeast("--pgd-steps", pgdSteps, 1, "");
        CliChecks.atLeast("--batch-size", batchSize, 1, "");
        if (attacks.stream().distinct().count() != attacks.size()) {
            throw new IllegalArgumentException("--attack lists an attack twice: " + attacks);
        }
        for (double eps : epsilons) {
            if (eps != 0) {
                Attacks.fgsm(eps);
                attacks.forEach(kind -> attack(kind, eps));
            }
        }
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
        out.printf(Locale.ROOT, "%s%n%n", String.join("  ", attacks.stream().map(this::describe).toList()));
        long start = System.nanoTime();
        ClassificationSummary clean = evaluator.evaluateClean(test);
        List<String> headers = new ArrayList<>(List.of("ε"));
        for (AttackKind kind : attacks) {
            headers.add(label(kind) + " acc");
            headers.add(label(kind) + " 95% CI");
        }
        attacks.forEach(kind -> headers.add(label(kind) + " s"));
        ConsoleTable table = new ConsoleTable(headers.toArray(new String[0]));
        double[] seconds = new double[attacks.size()];
        int attacked = 0;
        for (double eps : epsilons) {
            List<String> row = new ArrayList<>(List.of(eps == 0 ? "0" : ConsoleTable.number(eps)));
            List<String> times = new ArrayList<>();
            for (int a = 0; a < attacks.size(); a++) {
                if (eps == 0) {
                    row.add(ConsoleTable.percent(clean.accuracy()));
                    row.add(interval(clean));
                    times.add("-");
                    continue;
                }
                EvaluationResult r = evaluator.evaluate(test, attack(attacks.get(a), eps));
                seconds[a] += r.attackSeconds();
                row.add(ConsoleTable.percent(r.adversarialAccuracy()));
                row.add(interval(r.adversarial()));
                times.add(String.format(Locale.ROOT, "%.3f", r.attackSeconds()));
            }
            attacked += eps == 0 ? 0 : 1;
            row.addAll(times);
            table.row(row.toArray());
        }
        out.print(table.render());
        List<String> rates = new ArrayList<>();
        for (int a = 0; a < attacks.size(); a++) {
            rates.add(String.format(Locale.ROOT, "%s %.0f images/s", rateLabel(attacks.get(a)),
                    attacked * test.size() / Math.max(seconds[a], 1e-9)));
        }
        out.printf(Locale.ROOT, "%ntotal %.2fs; %s (attack generation only)%n", (System.nanoTime() - start) / 1e9,
                String.join(", ", rates));
        PeakMemory.residentMegabytes().ifPresent(mb -> out.printf(Locale.ROOT, "peak RSS %d MB%n", mb));
        if (example != NO_EXAMPLE) {
            new ExampleView(classifier, fullTest, example).print(out, epsilons, pngDir);
        }
        out.flush();
        return 0;
    }

    /** The attack {@code kind} at ε, seeded by {@code --seed}, with the settings its description prints. */
    private Attack attack(AttackKind kind, double eps) {
        return switch (kind) {
            case FGSM -> Attacks.fgsm(eps);
            case PGD -> Attacks.pgd(eps).withSteps(pgdSteps);
            case APGD_CE -> Attacks.apgd(eps).withSeed(seed);
            case APGD_DLR -> Attacks.apgd(eps).withLoss(AutoProjectedGradientDescent.Loss.DLR).withSeed(seed);
            case APGD_T -> Attacks.apgd(eps).withSeed(seed)
                    .targetingTopClasses(AutoProjectedGradientDescent.DEFAULT_TARGET_CLASSES);
            case SQUARE -> Attacks.square(eps).withSeed(seed);
            case AUTO -> Attacks.auto(eps).withSeed(seed);
        };
    }

    private String describe(AttackKind kind) {
        return switch (kind) {
            case FGSM -> "FGSM: untargeted L∞.";
            case PGD -> String.format(Locale.ROOT, "PGD: untargeted L∞, %d steps of 2.5·ε/%d, no random start.",
                    pgdSteps, pgdSteps);
            case APGD_CE, APGD_DLR -> label(kind) + ": untargeted L∞, 100 iterations, momentum 0.75, seed " + seed + ".";
            case APGD_T -> "APGD-T: targeted DLR towards each of the top 9 other classes, 100 iterations each, seed "
                    + seed + ".";
            case SQUARE -> "Square: 5000 queries, p_init 0.8, seed " + seed + ".";
            case AUTO -> "AUTO: APGD-CE, then APGD-T, then Square, each on what is still correct (FAB-T omitted), "
                    + "seed " + seed + ".";
        };
    }

    private static String label(AttackKind kind) {
        return switch (kind) {
            case APGD_CE -> "APGD-CE";
            case APGD_DLR -> "APGD-DLR";
            case APGD_T -> "APGD-T";
            case SQUARE -> "Square";
            default -> kind.name();
        };
    }

    private String rateLabel(AttackKind kind) {
        return kind == AttackKind.PGD ? "PGD-" + pgdSteps : label(kind);
    }

    private static String interval(ClassificationSummary summary) {
        return "[" + ConsoleTable.percent(summary.accuracyInterval().lower()) + ", "
                + ConsoleTable.percent(summary.accuracyInterval().upper()) + "]";
    }
}
