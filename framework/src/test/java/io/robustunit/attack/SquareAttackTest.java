package io.robustunit.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.robustunit.model.DifferentiableClassifier;
import io.robustunit.model.GradientStep;
import io.robustunit.model.LogitLoss;
import io.robustunit.model.dl4j.Dl4jClassifiers;

class SquareAttackTest {

    private static final LinearModel LINEAR = new LinearModel(5, 11);

    /** The kernel classifier with every method but {@code probabilities} refusing to run. */
    private static final DifferentiableClassifier BLACK_BOX = new DifferentiableClassifier() {
        private final DifferentiableClassifier inner = Dl4jClassifiers.of(LINEAR.network);

        @Override
        public int inputSize() {
            return inner.inputSize();
        }

        @Override
        public int numClasses() {
            return inner.numClasses();
        }

        @Override
        public void probabilities(float[] inputs, int from, int count, float[] probabilities) {
            inner.probabilities(inputs, from, count, probabilities);
        }

        @Override
        public void lossGradient(float[] inputs, int[] labels, int from, int count, float[] gradient) {
            throw new AssertionError("Square asked for a gradient");
        }

        @Override
        public void lossGradient(float[] inputs, int[] labels, int from, int count, float[] out, GradientStep step) {
            throw new AssertionError("Square asked for a gradient");
        }

        @Override
        public void logits(float[] inputs, int from, int count, float[] logits) {
            throw new AssertionError("Square asked for logits");
        }

        @Override
        public void logitGradient(float[] inputs, int from, int count, LogitLoss loss, float[] logits,
                                  float[] gradient) {
            throw new AssertionError("Square asked for a gradient");
        }

        @Override
        public boolean isThreadSafe() {
            return true;
        }

        @Override
        public String description() {
            return "black box";
        }
    };

    @Test
    void foolsExactlyTheExamplesThatCanBeFooledInLinfUsingOnlyProbabilities() {
        AutoProjectedGradientDescentTest.checkAgainstHandComputation(Attacks.square(0.1).withSeed(1), BLACK_BOX,
                Norm.LINF);
    }

    @Test
    void staysInsideTheL2BallAndFoolsOnlyWhatCanBeFooled() {
        LinearModel.Examples data = LINEAR.examples(60, 0.3, Norm.L2, 5);
        float[] adv = new float[data.x().length];
        Attacks.square(0.3, Norm.L2).withSeed(2).generate(BLACK_BOX, data.x(), data.y(), 0, data.count(), adv);
        int d = LinearModel.D;
        int foolable = 0;
        int fooled = 0;
        for (int r = 0; r < data.count(); r++) {
            boolean wrong = LINEAR.predict(adv, r * d) != data.y()[r];
            foolable += data.foolable()[r] ? 1 : 0;
            fooled += wrong ? 1 : 0;
            assertThat(!wrong || data.foolable()[r]).as("example %d is fooled only if it can be", r).isTrue();
            double norm = 0;
            for (int i = r * d; i < (r + 1) * d; i++) {
                assertThat(adv[i]).isBetween(0f, 1f);
                norm += (adv[i] - data.x()[i]) * (adv[i] - data.x()[i]);
            }
            assertThat(Math.sqrt(norm)).isLessThanOrEqualTo(0.3 * (1 + 1e-5));
        }
        assertThat(fooled).as("Square fools most of the %d examples that can be fooled", foolable)
                .isGreaterThanOrEqualTo(foolable * 9 / 10);
    }

    @Test
    void isSeededAndIndependentOfBatching() {
        LinearModel.Examples data = LINEAR.examples(30, 0.1, Norm.LINF, 8);
        SquareAttack attack = Attacks.square(0.1).withQueries(200).withSeed(5);
        float[] whole = new float[data.x().length];
        float[] batched = new float[data.x().length];
        float[] otherSeed = new float[data.x().length];
        attack.generate(BLACK_BOX, data.x(), data.y(), 0, data.count(), whole);
        for (int from = 0; from < data.count(); from += 4) {
            attack.generate(BLACK_BOX, data.x(), data.y(), from, Math.min(4, data.count() - from), batched);
        }
        attack.withSeed(6).generate(BLACK_BOX, data.x(), data.y(), 0, data.count(), otherSeed);
        assertThat(batched).isEqualTo(whole);
        assertThat(otherSeed).isNotEqualTo(whole);
    }

    @Test
    void theWindowShrinksOnAutoAttacksSchedule() {
        SquareSearch search = new SquareSearch(BLACK_BOX, Norm.LINF, 0.1, io.robustunit.data.InputRange.UNIT, 10,
                0.8, ImageShape.infer(16));
        assertThat(search.fraction(0)).isEqualTo(0.8);
        assertThat(search.fraction(10)).isEqualTo(0.8);
        assertThat(search.fraction(11)).isEqualTo(0.4);
        assertThat(search.fraction(50)).isEqualTo(0.4);
        assertThat(search.fraction(51)).isEqualTo(0.2);
        assertThat(search.fraction(4001)).isEqualTo(0.8 / 128);
        assertThat(search.fraction(8001)).isEqualTo(0.8 / 512);
    }

    @Test
    void imagesAreInferredOrDeclared() {
        assertThat(ImageShape.infer(784)).isEqualTo(new ImageShape(1, 28, 28));
        assertThat(ImageShape.infer(3 * 32 * 32)).isEqualTo(new ImageShape(3, 32, 32));
        assertThat(ImageShape.infer(301)).isEqualTo(new ImageShape(1, 1, 301));
        assertThat(Attacks.square(0.1).parameters()).containsEntry("image", "inferred");
        assertThat(Attacks.square(0.1).withImageShape(1, 2, 8).parameters()).containsEntry("image", "1×2×8");
        float[] x = new float[LinearModel.D];
        assertThatThrownBy(() -> Attacks.square(0.1).withImageShape(1, 3, 3).generate(BLACK_BOX, x, new int[] {0}, 0,
                1, new float[x.length])).hasMessage("Square image shape 1×3×3 has 9 features but the model takes 16");
        assertThatThrownBy(() -> Attacks.square(0.1).withQueries(-1)).hasMessage("Square queries must be >= 0 but was -1");
        assertThatThrownBy(() -> Attacks.square(0.1).withPInit(0)).hasMessage("Square p_init must be in (0, 1] but was 0.0");
    }
}
