package io.robustunit.example.mnist.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.deeplearning4j.nn.api.Model;

import io.robustunit.data.LabelledDataset;
import io.robustunit.metrics.ClassificationSummary;
import io.robustunit.metrics.RobustnessEvaluator;
import io.robustunit.model.dl4j.Dl4jModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code evaluate}: clean accuracy, per-class accuracy and the confusion matrix. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Print test accuracy, per-class accuracy and the confusion matrix.")
final class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data = new DataOptions();

    @Mixin
    ModelOptions model = new ModelOptions();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Model network = model.loadAny();
        LabelledDataset test = data.test();
        ClassificationSummary summary = RobustnessEvaluator.of(Dl4jModels.trainable(network)
                .classifier(test.featureCount())).evaluateClean(test);
        out.printf(Locale.ROOT, "%s on %s (%d examples)%n", model.name(), test.name(), test.size());
        out.printf(Locale.ROOT, "accuracy %s (%d/%d), 95%% CI [%s, %s]%n%n", ConsoleTable.percent(summary.accuracy()),
                summary.correct(), summary.size(), ConsoleTable.percent(summary.accuracyInterval().lower()),
                ConsoleTable.percent(summary.accuracyInterval().upper()));
        ConsoleTable perClass = new ConsoleTable("class", "examples", "accuracy");
        int[] counts = test.classCounts();
        double[] accuracy = summary.perClassAccuracy();
        for (int c = 0; c < accuracy.length; c++) {
            perClass.row(c, c < counts.length ? counts[c] : 0, ConsoleTable.percent(accuracy[c]));
        }
        out.print(perClass.render());
        out.println();
        out.println("confusion matrix (rows: true class, columns: predicted class)");
        out.print(summary.confusionMatrix().toTable());
        out.flush();
        return 0;
    }
}
