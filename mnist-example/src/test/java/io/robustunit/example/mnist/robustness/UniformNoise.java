package io.robustunit.example.mnist.robustness;

// tag::provider[]
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import io.robustunit.attack.Attack;
import io.robustunit.attack.Norm;
import io.robustunit.data.InputRange;
import io.robustunit.junit.AttackContext;
import io.robustunit.junit.AttackProvider;
import io.robustunit.model.DifferentiableClassifier;

/**
 * A gradient-free sanity check: every feature moves by a uniform random amount in [−ε, ε]. A model that random
 * noise of this size already fools has no robustness to speak of; one that resists it may still fall to FGSM.
 */
public final class UniformNoise implements AttackProvider {

    @Override
    public Attack create(AttackContext context) {
        return new Noise(context.epsilon(), context.range(), context.seed());
    }

    record Noise(double epsilon, InputRange range, long seed) implements Attack {

        @Override
        public String name() {
            return "UniformNoise";
        }

        @Override
        public Norm norm() {
            return Norm.LINF;
        }

        @Override
        public Attack withEpsilon(double newEpsilon) {
            return new Noise(newEpsilon, range, seed);
        }

        @Override
        public Attack withRange(InputRange newRange) {
            return new Noise(epsilon, newRange, seed);
        }

        /** Everything that changes the result: reports and baselines tell attacks apart by these. */
        @Override
        public Map<String, String> parameters() {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("attack", name());
            p.put("norm", norm().symbol());
            p.put("epsilon", String.valueOf(epsilon));
            p.put("seed", String.valueOf(seed));
            p.put("range", range.toString());
            return p;
        }

        @Override
        public void generate(DifferentiableClassifier model, float[] inputs, int[] labels, int from, int count,
                             float[] adversarial) {
            int d = model.inputSize();
            for (int row = from; row < from + count; row++) {
                SplittableRandom random = new SplittableRandom(seed + row);
                for (int i = row * d; i < (row + 1) * d; i++) {
                    float noisy = inputs[i] + (float) random.nextDouble(-epsilon, epsilon);
                    adversarial[i] = Math.min(Math.max(noisy, range.lower()), range.upper());
                }
            }
        }
    }
}
// end::provider[]
