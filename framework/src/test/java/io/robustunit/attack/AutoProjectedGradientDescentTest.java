package io.robustunit.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.robustunit.model.DifferentiableClassifier;
import io.robustunit.model.dl4j.Dl4jClassifiers;

class AutoProjectedGradientDescentTest {

    private static final LinearModel LINEAR = new LinearModel(5, 11);
    private static final DifferentiableClassifier KERNEL = Dl4jClassifiers.of(LINEAR.network);

    enum Variant {
        CE(Attacks.apgd(0.1)),
        DLR(Attacks.apgd(0.1).withLoss(AutoProjectedGradientDescent.Loss.DLR)),
        TARGETED(Attacks.apgd(0.1).targetingTopClasses(9));

        final AutoProjectedGradientDescent attack;

        Variant(AutoProjectedGradientDescent attack) {
            this.attack = attack;
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void foolsExactlyTheExamplesThatCanBeFooledInLinf(Variant variant) {
        checkAgainstHandComputation(variant.attack, KERNEL, Norm.LINF);
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void foolsExactlyTheExamplesThatCanBeFooledInL2(Variant variant) {
        checkAgainstHandComputation(variant.attack.withNorm(Norm.L2).withEpsilon(0.3), KERNEL, Norm.L2);
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void worksThroughTheDefaultLogitMethodsOfDl4jBackprop(Variant variant) {
        checkAgainstHandComputation(variant.attack, Dl4jClassifiers.usingDl4jBackprop(LINEAR.network), Norm.LINF);
    }

    static void checkAgainstHandComputation(Attack attack, DifferentiableClassifier model, Norm norm) {
        LinearModel.Examples data = LINEAR.examples(60, attack.epsilon(), norm, 5);
        float[] adv = new float[data.x().length];
        attack.generate(model, data.x(), data.y(), 0, data.count(), adv);
        int d = LinearModel.D;
        assertThat(java.util.stream.IntStream.range(0, data.count()).filter(r -> data.foolable()[r]).count())
                .as("the fixture has examples of both kinds").isBetween(10L, 50L);
        for (int r = 0; r < data.count(); r++) {
            boolean fooled = LINEAR.predict(adv, r * d) != data.y()[r];
            assertThat(fooled).as("%s fools example %d", attack.name(), r).isEqualTo(data.foolable()[r]);
            double size = 0;
            for (int i = r * d; i < (r + 1) * d; i++) {
                assertThat(adv[i]).isBetween(0f, 1f);
                double delta = Math.abs(adv[i] - data.x()[i]);
                size = norm == Norm.LINF ? Math.max(size, delta) : size + delta * delta;
                if (!fooled) {
                    assertThat(adv[i]).as("a robust example is returned unchanged").isEqualTo(data.x()[i]);
                }
            }
            size = norm == Norm.LINF ? size : Math.sqrt(size);
            assertThat(size).isLessThanOrEqualTo(attack.epsilon() * (1 + 1e-6));
        }
    }

    @Test
    void isSeededAndIndependentOfBatching() {
        LinearModel.Examples data = LINEAR.examples(40, 0.1, Norm.LINF, 7);
        AutoProjectedGradientDescent attack = Attacks.apgd(0.1).withIterations(10).withSeed(3);
        float[] whole = new float[data.x().length];
        float[] batched = new float[data.x().length];
        float[] otherSeed = new float[data.x().length];
        attack.generate(KERNEL, data.x(), data.y(), 0, data.count(), whole);
        for (int from = 0; from < data.count(); from += 7) {
            attack.generate(KERNEL, data.x(), data.y(), from, Math.min(7, data.count() - from), batched);
        }
        attack.withSeed(4).generate(KERNEL, data.x(), data.y(), 0, data.count(), otherSeed);
        assertThat(batched).isEqualTo(whole);
        assertThat(otherSeed).isNotEqualTo(whole);
    }

    @Test
    void misclassifiedExamplesAreLeftAsTheyAre() {
        LinearModel.Examples data = LINEAR.examples(20, 0.1, Norm.LINF, 9);
        int[] wrong = data.y().clone();
        for (int r = 0; r < wrong.length; r++) {
            wrong[r] = (wrong[r] + 1) % LINEAR.classes;
        }
        float[] adv = new float[data.x().length];
        Attacks.apgd(0.1).generate(KERNEL, data.x(), wrong, 0, wrong.length, adv);
        assertThat(adv).isEqualTo(data.x());
    }

    @Test
    void theDlrLossesNeedEnoughClassesAndSaySo() {
        DifferentiableClassifier twoClasses = Dl4jClassifiers.of(new LinearModel(2, 1).network);
        DifferentiableClassifier threeClasses = Dl4jClassifiers.of(new LinearModel(3, 1).network);
        float[] x = new float[LinearModel.D];
        int[] y = {0};
        assertThatThrownBy(() -> Attacks.apgd(0.1).withLoss(AutoProjectedGradientDescent.Loss.DLR)
                .generate(twoClasses, x, y, 0, 1, new float[x.length]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("APGD-DLR needs a classifier of at least 3 classes (the DLR loss compares "
                        + "the true, first and third largest logits) but ")
                .hasMessageEndingWith(" has 2");
        assertThatThrownBy(() -> Attacks.apgd(0.1).targetingTopClasses(9)
                .generate(threeClasses, x, y, 0, 1, new float[x.length]))
                .hasMessageContaining("APGD-T needs a classifier of at least 4 classes (the targeted DLR loss");
        Attacks.apgd(0.1).generate(twoClasses, x, y, 0, 1, new float[x.length]);
    }

    @Test
    void invalidSettingsAreRejectedWithTheValue() {
        assertThatThrownBy(() -> Attacks.apgd(0.1).withIterations(0))
                .hasMessage("APGD-CE iterations must be >= 1 but was 0");
        assertThatThrownBy(() -> Attacks.apgd(0.1).withRestarts(-2))
                .hasMessage("APGD-CE restarts must be >= 1 but was -2");
        assertThatThrownBy(() -> Attacks.apgd(0.1).withRho(1.5)).hasMessage("APGD-CE rho must be in [0, 1] but was 1.5");
        assertThatThrownBy(() -> Attacks.apgd(0.1).targetingTopClasses(0))
                .hasMessage("APGD-T needs at least 1 target class but was 0");
        assertThatThrownBy(() -> Attacks.apgd(1.5)).hasMessageStartingWith("APGD-CE epsilon must be finite and in (0, 1.0]");
    }

    @Test
    void parametersIdentifyEveryVariant() {
        assertThat(Attacks.apgd(0.1).withSeed(42).parameters()).containsExactly(
                java.util.Map.entry("attack", "APGD-CE"), java.util.Map.entry("norm", "L∞"),
                java.util.Map.entry("epsilon", "0.1"), java.util.Map.entry("loss", "cross-entropy"),
                java.util.Map.entry("iterations", "100"), java.util.Map.entry("restarts", "1"),
                java.util.Map.entry("rho", "0.75"), java.util.Map.entry("momentum", "0.75"),
                java.util.Map.entry("seed", "42"), java.util.Map.entry("targeted", "no"),
                java.util.Map.entry("range", "[0.0, 1.0]"));
        assertThat(Attacks.apgd(0.1).withLoss(AutoProjectedGradientDescent.Loss.DLR).parameters())
                .containsEntry("attack", "APGD-DLR").containsEntry("loss", "DLR");
        assertThat(Attacks.apgd(0.1).targetingTopClasses(9).parameters()).containsEntry("attack", "APGD-T")
                .containsEntry("loss", "targeted DLR").containsEntry("targeted", "top 9 classes");
        assertThat(Attacks.apgd(0.5, Norm.L2).displayName()).isEqualTo("APGD-CE ε=0.5 (L2)");
    }
}
