package io.robustunit.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.robustunit.model.DifferentiableClassifier;
import io.robustunit.model.dl4j.Dl4jClassifiers;

class AutoAttackTest {

    private static final LinearModel LINEAR = new LinearModel(5, 11);
    private static final DifferentiableClassifier KERNEL = Dl4jClassifiers.of(LINEAR.network);

    @Test
    void foolsExactlyTheExamplesThatCanBeFooled() {
        AutoProjectedGradientDescentTest.checkAgainstHandComputation(Attacks.auto(0.1).withSeed(3), KERNEL, Norm.LINF);
        AutoProjectedGradientDescentTest.checkAgainstHandComputation(Attacks.auto(0.3, Norm.L2).withSeed(3), KERNEL,
                Norm.L2);
    }

    @Test
    void runsTheStandardStagesWithOneSeed() {
        AutoAttack auto = Attacks.auto(0.1).withSeed(42);
        assertThat(auto.stages()).extracting(Attack::name).containsExactly("APGD-CE", "APGD-T", "Square");
        assertThat(auto.stages()).extracting(a -> a.parameters().get("seed")).containsOnly("42");
        assertThat(auto.parameters()).containsEntry("attack", "AUTO")
                .containsEntry("stages", "APGD-CE → APGD-T → Square").containsEntry("iterations", "100")
                .containsEntry("targetClasses", "9").containsEntry("queries", "5000").containsEntry("pInit", "0.8")
                .containsEntry("seed", "42");
        assertThat(auto.withNorm(Norm.L2).withEpsilon(1.5).displayName()).isEqualTo("AUTO ε=1.5 (L2)");
    }

    @Test
    void needsFourClassesForItsTargetedStage() {
        DifferentiableClassifier three = Dl4jClassifiers.of(new LinearModel(3, 1).network);
        float[] x = new float[LinearModel.D];
        assertThatThrownBy(() -> Attacks.auto(0.1).generate(three, x, new int[] {0}, 0, 1, new float[x.length]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("AUTO needs a classifier of at least 4 classes (its APGD-T stage compares");
    }
}
