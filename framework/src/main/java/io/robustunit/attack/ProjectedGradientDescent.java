package io.robustunit.attack;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

import org.apiguardian.api.API;

import io.robustunit.data.InputRange;
import io.robustunit.model.DifferentiableClassifier;
import io.robustunit.model.GradientStep;

/**
 * Projected gradient descent (Madry et al. 2018), and the basic iterative method (Kurakin et al. 2016)
 * when there is no random start: {@code steps} gradient steps of size {@code stepSize}, each followed by a
 * projection onto the ε-ball around the clean input and a clip to the valid range. The L∞ step is
 * {@code α·sign(g)}, the L2 step {@code α·g/‖g‖₂}. The optional random start draws a uniform point of the
 * ε-ball; each example's draw depends only on the seed and the example's row, so results do not depend on
 * the batch size.
 */
@API(status = STABLE, since = "0.1")
public final class ProjectedGradientDescent extends GradientAttack {

    /** The default number of steps. */
    public static final int DEFAULT_STEPS = 20;

    /** The default step size, as a multiple of {@code ε/steps} (Madry et al.'s 2.5). */
    public static final double DEFAULT_STEP_FACTOR = 2.5;

    private final int steps;
    private final double stepSize;
    private final boolean randomStart;
    private final long seed;

    ProjectedGradientDescent(double epsilon, Norm norm, InputRange range, int steps, double stepSize,
                             boolean randomStart, long seed, TargetRule target) {
        super(epsilon, norm, range, target);
        this.steps = steps;
        this.stepSize = stepSize;
        this.randomStart = randomStart;
        this.seed = seed;
        if (steps < 1) {
            throw new IllegalArgumentException(name() + " steps must be >= 1 but was " + steps);
        }
        Epsilons.checkPositive(name(), "step size", stepSize);
    }

    static ProjectedGradientDescent defaults(double epsilon, Norm norm, InputRange range) {
        return new ProjectedGradientDescent(epsilon, norm, range, DEFAULT_STEPS,
                DEFAULT_STEP_FACTOR * epsilon / DEFAULT_STEPS, false, 0L, null);
    }

    @Override
    public String name() {
        return "PGD";
    }

    /** @return the number of gradient steps */
    public int steps() {
        return steps;
    }

    /** @return the size α of each step */
    public double stepSize() {
        return stepSize;
    }

    /** @return whether the first iterate is a random point of the ε-ball */
    public boolean randomStart() {
        return randomStart;
    }

    /** @return the seed of the random start */
    public long seed() {
        return seed;
    }

    /**
     * Changes ε and scales the step size with it, keeping {@code stepSize/ε} constant.
     *
     * @param newEpsilon the new budget
     * @return this attack with another ε
     */
    @Override
    public ProjectedGradientDescent withEpsilon(double newEpsilon) {
        Epsilons.checkPositive(name(), "epsilon", newEpsilon);
        return new ProjectedGradientDescent(newEpsilon, norm, range, steps, stepSize * newEpsilon / epsilon,
                randomStart, seed, target);
    }

    @Override
    public ProjectedGradientDescent withRange(InputRange newRange) {
        return new ProjectedGradientDescent(epsilon, norm, newRange, steps, stepSize, randomStart, seed, target);
    }

    /**
     * @param newNorm the norm of the ball and of each step
     * @return this attack with another norm
     */
    public ProjectedGradientDescent withNorm(Norm newNorm) {
        return new ProjectedGradientDescent(epsilon, newNorm, range, steps, stepSize, randomStart, seed, target);
    }

    /**
     * Changes the number of steps and sets the step size to {@code 2.5·ε/steps}.
     *
     * @param newSteps the number of steps, at least 1
     * @return this attack with another number of steps
     */
    public ProjectedGradientDescent withSteps(int newSteps) {
        if (newSteps < 1) {
            throw new IllegalArgumentException(name() + " steps must be >= 1 but was " + newSteps);
        }
        return new ProjectedGradientDescent(epsilon, norm, range, newSteps, DEFAULT_STEP_FACTOR * epsilon / newSteps,
                randomStart, seed, target);
    }

    /**
     * @param newStepSize the size α of each step, finite and positive
     * @return this attack with another step size
     */
    public ProjectedGradientDescent withStepSize(double newStepSize) {
        return new ProjectedGradientDescent(epsilon, norm, range, steps, newStepSize, randomStart, seed, target);
    }

    /**
     * @param newSeed the seed of the random start
     * @return this attack starting from a random point of the ε-ball
     */
    public ProjectedGradientDescent withRandomStart(long newSeed) {
        return new ProjectedGradientDescent(epsilon, norm, range, steps, stepSize, true, newSeed, target);
    }

    /**
     * @param rule how to pick each example's target class
     * @return a targeted version of this attack
     */
    public ProjectedGradientDescent targeted(TargetRule rule) {
        return new ProjectedGradientDescent(epsilon, norm, range, steps, stepSize, randomStart, seed,
                Objects.requireNonNull(rule, "rule"));
    }

    @Override
    void addParameters(Map<String, String> p) {
        p.put("steps", String.valueOf(steps));
        p.put("stepSize", Epsilons.format(stepSize));
        p.put("randomStart", randomStart ? "seed " + seed : "no");
    }

    @Override
    public void generate(DifferentiableClassifier model, float[] inputs, int[] labels, int from, int count,
                         float[] adversarial) {
        AttackInputs.check(name(), model, inputs, labels, from, count, adversarial, range, norm, epsilon);
        int d = model.inputSize();
        int[] goal = AttackInputs.goals(model, inputs, labels, from, count, target);
        float alpha = target == null ? (float) stepSize : (float) -stepSize;
        float eps = (float) epsilon;
        float[] clean = Arrays.copyOfRange(inputs, from * d, (from + count) * d);
        int[] rowGoal = Arrays.copyOfRange(goal, from, from + count);
        float[] current = clean.clone();
        if (randomStart) {
            randomStart(clean, current, from, count, d, eps);
        }
        GradientStep step = norm == Norm.LINF
                ? Steps.thenProjectLinf(Steps.sign(alpha, range), clean, eps, range)
                : Steps.thenProjectL2(Steps.l2(alpha, range), clean, eps, range);
        for (int i = 0; i < steps; i++) {
            model.lossGradient(current, rowGoal, 0, count, current, step);
        }
        System.arraycopy(current, 0, adversarial, from * d, count * d);
    }

    /** Moves each row to a uniform point of the ε-ball; row {@code r}'s draw is seeded by {@code firstRow + r}. */
    private void randomStart(float[] clean, float[] adversarial, int firstRow, int count, int d, float eps) {
        for (int r = 0; r < count; r++) {
            SplittableRandom random = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (firstRow + r + 1L)));
            int off = r * d;
            if (norm == Norm.LINF) {
                for (int i = off; i < off + d; i++) {
                    adversarial[i] += (float) random.nextDouble(-eps, eps);
                }
            } else {
                double[] direction = new double[d];
                double length = 0;
                for (int i = 0; i < d; i++) {
                    direction[i] = RandomStreams.gaussian(random);
                    length += direction[i] * direction[i];
                }
                double radius = eps * Math.pow(random.nextDouble(), 1.0 / d) / Math.sqrt(length);
                for (int i = 0; i < d; i++) {
                    adversarial[off + i] += (float) (direction[i] * radius);
                }
            }
        }
        for (int r = 0; r < count; r++) {
            if (norm == Norm.LINF) {
                Steps.projectLinf(clean, adversarial, eps, r * d, d, range);
            } else {
                Steps.projectL2(clean, adversarial, eps, r * d, d, range);
            }
        }
    }
}
