package io.robustunit.example.mnist.attack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.robustunit.attack.Attacks;
import io.robustunit.attack.TargetRule;
import io.robustunit.data.LabelledDataset;
import io.robustunit.example.mnist.MnistData;
import io.robustunit.example.mnist.ReferenceMlp;
import io.robustunit.metrics.EvaluationResult;
import io.robustunit.metrics.RobustnessEvaluator;
import io.robustunit.model.DifferentiableClassifier;
import io.robustunit.model.dl4j.Dl4jClassifiers;

/** The attacks' defining properties, checked on real MNIST against the shipped model. */
class MnistAttackInvariantsTest {

    /** {@code (x + ε) − x} in float can exceed ε by one unit in the last place of values up to 1. */
    private static final float ROUNDING = Math.ulp(1f);

    private static LabelledDataset test;
    private static DifferentiableClassifier model;

    @BeforeAll
    static void load() throws IOException {
        test = MnistData.test();
        model = Dl4jClassifiers.of(ReferenceMlp.loadShipped());
    }

    @ParameterizedTest(name = "ε={0}")
    @ValueSource(doubles = {0.05, 0.1, 0.3})
    void fgsmMovesEveryPixelByExactlyEpsilonUnlessClippedOrFlat(double eps) {
        float[] x = test.features();
        int[] y = test.labels();
        float[] g = new float[x.length];
        model.lossGradient(x, y, 0, test.size(), g);
        float[] adv = Attacks.fgsm(eps).generate(model, test);

        float e = (float) eps;
        long exact = 0;
        for (int i = 0; i < x.length; i++) {
            float delta = Math.abs(adv[i] - x[i]);
            assertThat(adv[i]).isBetween(0f, 1f);
            assertThat(delta).as("|x_adv - x| at %d, up to float rounding", i).isLessThanOrEqualTo(e + ROUNDING);
            float unclipped = x[i] + e * Math.signum(g[i]);
            boolean clipped = unclipped < 0f || unclipped > 1f;
            if (g[i] != 0f && !clipped) {
                assertThat(adv[i]).isEqualTo(unclipped);
                exact++;
            } else if (g[i] == 0f) {
                assertThat(adv[i]).isEqualTo(x[i]);
            }
        }
        assertThat(exact).as("pixels moved by exactly ε").isGreaterThan(x.length / 4);
    }

    @Test
    void targetedFgsmLowersTheTargetClassLoss() {
        LabelledDataset sample = test.stratifiedSample(1000, 5);
        float[] x = sample.features();
        float[] adv = Attacks.fgsm(0.02).targeted(TargetRule.nextClass()).generate(model, sample);
        float[] before = new float[sample.size() * 10];
        float[] after = new float[sample.size() * 10];
        model.probabilities(x, 0, sample.size(), before);
        model.probabilities(adv, 0, sample.size(), after);
        int lowered = 0;
        for (int r = 0; r < sample.size(); r++) {
            int target = (sample.label(r) + 1) % 10;
            lowered += -Math.log(after[r * 10 + target]) < -Math.log(before[r * 10 + target]) ? 1 : 0;
        }
        assertThat(lowered).isEqualTo(sample.size());
    }

    @Test
    void pgdIsAtLeastAsStrongAsFgsmAtEveryEpsilonOfTheGrid() {
        RobustnessEvaluator evaluator = RobustnessEvaluator.of(model);
        for (double eps : new double[] {0.05, 0.1, 0.15, 0.2, 0.25, 0.3}) {
            EvaluationResult fgsm = evaluator.evaluate(test, Attacks.fgsm(eps));
            EvaluationResult pgd = evaluator.evaluate(test, Attacks.pgd(eps).withSteps(10));
            assertThat(pgd.adversarialAccuracy()).as("PGD-10 vs FGSM at ε=%s", eps)
                    .isLessThanOrEqualTo(fgsm.adversarialAccuracy());
            assertThat(fgsm.cleanAccuracy()).isEqualTo(pgd.cleanAccuracy());
        }
    }
}
