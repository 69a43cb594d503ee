package io.robustunit.example.mnist.cli;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.api.Model;

import io.robustunit.attack.Attacks;
import io.robustunit.data.LabelledDataset;
import io.robustunit.metrics.RobustnessEvaluator;
import io.robustunit.model.dl4j.Dl4jClassifiers;

/** Clean, FGSM and PGD accuracy of a model over an ε grid, and a before/after comparison of two of them. */
record RobustnessTable(double clean, List<Double> epsilons, List<Double> fgsm, List<Double> pgd) {

    static RobustnessTable measure(Model model, LabelledDataset test, List<Double> epsilons, int pgdSteps) {
        RobustnessEvaluator evaluator = RobustnessEvaluator.of(Dl4jClassifiers.of(model));
        List<Double> fgsm = new ArrayList<>();
        List<Double> pgd = new ArrayList<>();
        for (double eps : epsilons) {
            fgsm.add(evaluator.evaluate(test, Attacks.fgsm(eps)).adversarialAccuracy());
            pgd.add(evaluator.evaluate(test, Attacks.pgd(eps).withSteps(pgdSteps)).adversarialAccuracy());
        }
        return new RobustnessTable(evaluator.evaluateClean(test).accuracy(), List.copyOf(epsilons), fgsm, pgd);
    }

    static String compare(RobustnessTable before, RobustnessTable after, int pgdSteps) {
        ConsoleTable table = new ConsoleTable("ε", "FGSM before", "FGSM after", "PGD-" + pgdSteps + " before",
                "PGD-" + pgdSteps + " after");
        table.row("0 (clean)", ConsoleTable.percent(before.clean()), ConsoleTable.percent(after.clean()),
                ConsoleTable.percent(before.clean()), ConsoleTable.percent(after.clean()));
        for (int i = 0; i < before.epsilons().size(); i++) {
            table.row(ConsoleTable.number(before.epsilons().get(i)), ConsoleTable.percent(before.fgsm().get(i)),
                    ConsoleTable.percent(after.fgsm().get(i)), ConsoleTable.percent(before.pgd().get(i)),
                    ConsoleTable.percent(after.pgd().get(i)));
        }
        return table.render();
    }
}
