package io.robustunit.example.mnist.docs;

// tag::imports[]
import io.robustunit.attack.Attack;
import io.robustunit.attack.Attacks;
import io.robustunit.attack.AutoProjectedGradientDescent.Loss;
import io.robustunit.attack.Norm;
import io.robustunit.attack.TargetRule;
import io.robustunit.data.LabelledDataset;
import io.robustunit.health.EvaluationHealth;
import io.robustunit.metrics.EvaluationResult;
import io.robustunit.metrics.RobustnessEvaluator;
import io.robustunit.model.DifferentiableClassifier;
import io.robustunit.model.dl4j.Dl4jClassifiers;
// end::imports[]

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

import io.robustunit.example.mnist.ReferenceMlp;

/** The attack API as docs/attacks.md shows it, run on the shipped model. */
class AttackApiExamplesTest {

    @Test
    void buildingAttacks() {
        // tag::attacks[]
        Attack fgsm     = Attacks.fgsm(0.1);                                    // x + ε·sign(∇ₓJ(x, y))
        Attack targeted = Attacks.fgsm(0.1).targeted(TargetRule.leastLikely()); // x − ε·sign(∇ₓJ(x, t))
        Attack l2       = Attacks.fgm(1.5, Norm.L2);                            // x + ε·g/‖g‖₂
        Attack pgd      = Attacks.pgd(0.1).withSteps(40).withRandomStart(42);   // Madry et al.
        Attack bim      = Attacks.pgd(0.1).withSteps(10).withStepSize(0.01);    // no random start: BIM
        // end::attacks[]
        assertThat(fgsm.displayName()).isEqualTo("FGSM ε=0.1");
        assertThat(targeted.displayName()).isEqualTo("FGSM ε=0.1 (targeted: least likely)");
        assertThat(l2.name()).isEqualTo("FGM");
        assertThat(pgd.parameters()).containsEntry("steps", "40").containsEntry("randomStart", "seed 42");
        assertThat(bim.parameters()).containsEntry("stepSize", "0.01").containsEntry("randomStart", "no");
    }

    @Test
    void buildingTheStrongAttacks() {
        // tag::strong-attacks[]
        Attack apgd    = Attacks.apgd(0.1).withSeed(42);               // APGD-CE: 100 iterations, no step size
        Attack dlr     = Attacks.apgd(0.1).withLoss(Loss.DLR);         // APGD-DLR: logit ratio, scale-invariant
        Attack apgdT   = Attacks.apgd(0.1).targetingTopClasses(9);     // APGD-T: targeted DLR, top 9 classes
        Attack square  = Attacks.square(0.1).withQueries(5000);        // black box: probabilities only
        Attack auto    = Attacks.auto(0.1).withSeed(42);               // APGD-CE → APGD-T → Square
        Attack autoL2  = Attacks.auto(1.5, Norm.L2);                   // every attack also in L2
        // end::strong-attacks[]
        assertThat(apgd.parameters()).containsEntry("iterations", "100").containsEntry("seed", "42");
        assertThat(dlr.name()).isEqualTo("APGD-DLR");
        assertThat(apgdT.parameters()).containsEntry("targeted", "top 9 classes");
        assertThat(square.parameters()).containsEntry("queries", "5000").containsEntry("pInit", "0.8");
        assertThat(auto.parameters()).containsEntry("stages", "APGD-CE → APGD-T → Square");
        assertThat(autoL2.displayName()).isEqualTo("AUTO ε=1.5 (L2)");
    }

    @Test
    void checkingAnEvaluationsHealth() throws IOException {
        MultiLayerNetwork network = ReferenceMlp.load(ReferenceMlp.SHIPPED_HARDENED_MODEL);
        LabelledDataset test = io.robustunit.example.mnist.MnistData.test().slice(0, 300);
        // tag::health[]
        DifferentiableClassifier model = Dl4jClassifiers.of(network);
        EvaluationResult r = RobustnessEvaluator.of(model).evaluate(test, Attacks.fgsm(0.1));
        EvaluationHealth health = EvaluationHealth.check(model, test, r, 42);
        health.isHealthy();                      // true: no check warns
        health.warnings();                       // the checks that warn, with the numbers they compared
        System.out.print(health.describe("  "));
        // end::health[]
        assertThat(health.isHealthy()).isTrue();
        assertThat(health.checks()).hasSize(8);
    }

    @Test
    void evaluatingADataset() throws IOException {
        Path images = Path.of("src/main/resources/mnist/t10k-images-idx3-ubyte.gz");
        Path labels = Path.of("src/main/resources/mnist/t10k-labels-idx1-ubyte.gz");
        MultiLayerNetwork network = ReferenceMlp.loadShipped();
        // tag::evaluate[]
        LabelledDataset test = LabelledDataset.fromIdx(images, labels).withName("MNIST test");
        DifferentiableClassifier model = Dl4jClassifiers.of(network);
        EvaluationResult r = RobustnessEvaluator.of(model).batchSize(1000).evaluate(test, Attacks.fgsm(0.1));
        r.cleanAccuracy();                       // 0.9785
        r.adversarialAccuracy();                 // 0.3028
        r.adversarialAccuracyInterval();         // 95% Wilson interval
        r.accuracyDrop();                        // clean minus adversarial
        r.attackSuccessRate();                   // among the examples that were right before the attack
        r.adversarial().perClassAccuracy();
        r.adversarial().confusionMatrix().toTable();
        r.worstExamples(5);                      // most confidently fooled: index, true → predicted, confidence
        // end::evaluate[]
        assertThat(r.cleanAccuracy()).isCloseTo(0.9785, within(1e-9));
        assertThat(r.adversarialAccuracy()).isCloseTo(0.3028, within(1e-9));
        assertThat(r.datasetName()).isEqualTo("MNIST test");
        assertThat(r.worstExamples(5)).hasSize(5);
    }
}
