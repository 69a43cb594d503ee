package io.robustunit.attack;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.apiguardian.api.API;

import io.robustunit.data.InputRange;
import io.robustunit.model.DifferentiableClassifier;

/**
 * Auto-PGD (Croce and Hein, "Reliable evaluation of adversarial robustness with an ensemble of diverse
 * parameter-free attacks", ICML 2020): projected gradient ascent that needs no step size. It starts at a random
 * point of the ε-ball with step {@code 2ε}, adds momentum 0.75, and at checkpoints halves the step and returns to
 * the best point so far wherever the loss stopped rising. Three variants, by the loss they maximise on the logits:
 * <ul>
 *   <li>{@code APGD-CE}: cross-entropy ({@link Attacks#apgd(double)});</li>
 *   <li>{@code APGD-DLR}: the difference-of-logits ratio {@code −(z_y − max_{k≠y} z_k) / (z_π1 − z_π3)}, which does
 *       not change when the logits are shifted or scaled, so a saturated softmax cannot hide its gradient
 *       ({@link #withLoss(Loss) withLoss(Loss.DLR)}); it needs at least 3 classes;</li>
 *   <li>{@code APGD-T}: the targeted DLR loss, run once for each of the classes the model ranks highest after the
 *       true one ({@link #targetingTopClasses(int)}); it needs at least 4 classes. An example counts as fooled when
 *       it is misclassified as any class.</li>
 * </ul>
 * Only examples classified correctly are attacked; each stops at its first misclassified iterate, which is its
 * result, and every other example is returned unchanged. Restarts attack the examples still classified correctly
 * from new random points. Each example's random draws depend only on the seed and its row, so results do not depend
 * on the batch size. A run costs {@code iterations + 1} forward and backward passes per example attacked, per restart
 * and per target class.
 */
@API(status = EXPERIMENTAL, since = "0.2")
public final class AutoProjectedGradientDescent implements Attack {

    /** The loss APGD maximises. */
    @API(status = EXPERIMENTAL, since = "0.2")
    public enum Loss {
        /** Cross-entropy of the softmax: APGD-CE. */
        CROSS_ENTROPY,
        /** The difference-of-logits ratio: APGD-DLR, or APGD-T when targeted. */
        DLR
    }

    /** The default number of iterations per run, AutoAttack's. */
    public static final int DEFAULT_ITERATIONS = 100;

    /** The default number of target classes of APGD-T, AutoAttack's. */
    public static final int DEFAULT_TARGET_CLASSES = 9;

    /** The default share of rising steps below which the step is halved, AutoAttack's {@code ρ}. */
    public static final double DEFAULT_RHO = 0.75;

    private final double epsilon;
    private final Norm norm;
    private final InputRange range;
    private final Loss loss;
    private final int targetClasses;
    private final int iterations;
    private final int restarts;
    private final double rho;
    private final long seed;

    AutoProjectedGradientDescent(double epsilon, Norm norm, InputRange range, Loss loss, int targetClasses,
                                 int iterations, int restarts, double rho, long seed) {
        this.norm = Objects.requireNonNull(norm, "norm");
        this.range = Objects.requireNonNull(range, "range");
        this.loss = Objects.requireNonNull(loss, "loss");
        this.epsilon = epsilon;
        this.targetClasses = targetClasses;
        this.iterations = iterations;
        this.restarts = restarts;
        this.rho = rho;
        this.seed = seed;
        if (norm == Norm.LINF) {
            Epsilons.checkLinf(name(), epsilon, range);
        } else {
            Epsilons.checkPositive(name(), "epsilon", epsilon);
        }
        atLeast("iterations", iterations, 1);
        atLeast("restarts", restarts, 1);
        atLeast("target classes", targetClasses, 0);
        if (!(rho >= 0 && rho <= 1)) {
            throw new IllegalArgumentException(name() + " rho must be in [0, 1] but was " + rho);
        }
        if (targetClasses > 0 && loss != Loss.DLR) {
            throw new IllegalArgumentException(name() + " maximises the targeted DLR loss; it has no " + loss
                    + " variant");
        }
    }

    private void atLeast(String what, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name() + " " + what + " must be >= " + min + " but was " + value);
        }
    }

    static AutoProjectedGradientDescent defaults(double epsilon, Norm norm, InputRange range) {
        return new AutoProjectedGradientDescent(epsilon, norm, range, Loss.CROSS_ENTROPY, 0, DEFAULT_ITERATIONS, 1,
                DEFAULT_RHO, 0L);
    }

    /** @return {@code APGD-CE}, {@code APGD-DLR} or {@code APGD-T} */
    @Override
    public String name() {
        return targetClasses > 0 ? "APGD-T" : loss == Loss.DLR ? "APGD-DLR" : "APGD-CE";
    }

    @Override
    public double epsilon() {
        return epsilon;
    }

    @Override
    public Norm norm() {
        return norm;
    }

    @Override
    public InputRange range() {
        return range;
    }

    /** @return the loss maximised */
    public Loss loss() {
        return loss;
    }

    /** @return how many of the top classes APGD-T targets in turn; 0 for the untargeted attack */
    public int targetClasses() {
        return targetClasses;
    }

    /** @return the iterations of each run */
    public int iterations() {
        return iterations;
    }

    /** @return the runs from new random starting points, per target class */
    public int restarts() {
        return restarts;
    }

    /** @return the share of rising steps at or below which a checkpoint halves the step */
    public double rho() {
        return rho;
    }

    /** @return the seed of the random starting points */
    public long seed() {
        return seed;
    }

    @Override
    public AutoProjectedGradientDescent withEpsilon(double newEpsilon) {
        return new AutoProjectedGradientDescent(newEpsilon, norm, range, loss, targetClasses, iterations, restarts,
                rho, seed);
    }

    @Override
    public AutoProjectedGradientDescent withRange(InputRange newRange) {
        return new AutoProjectedGradientDescent(epsilon, norm, newRange, loss, targetClasses, iterations, restarts,
                rho, seed);
    }

    /**
     * @param newNorm the norm of the ball and of each step
     * @return this attack with another norm
     */
    public AutoProjectedGradientDescent withNorm(Norm newNorm) {
        return new AutoProjectedGradientDescent(epsilon, newNorm, range, loss, targetClasses, iterations, restarts,
                rho, seed);
    }

    /**
     * @param newLoss the loss to maximise
     * @return the untargeted attack with that loss
     */
    public AutoProjectedGradientDescent withLoss(Loss newLoss) {
        return new AutoProjectedGradientDescent(epsilon, norm, range, newLoss, 0, iterations, restarts, rho, seed);
    }

    /**
     * APGD-T: for each example, targeted runs towards the {@code count} classes with the largest clean logits after
     * the true class, one after the other, each on the examples still classified correctly.
     *
     * @param count the number of target classes, at least 1; a model with fewer classes uses all other classes
     * @return the targeted DLR attack
     */
    public AutoProjectedGradientDescent targetingTopClasses(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("APGD-T needs at least 1 target class but was " + count);
        }
        return new AutoProjectedGradientDescent(epsilon, norm, range, Loss.DLR, count, iterations, restarts, rho,
                seed);
    }

    /**
     * @param newIterations the iterations of each run, at least 1; the checkpoints scale with them
     * @return this attack with another budget
     */
    public AutoProjectedGradientDescent withIterations(int newIterations) {
        return new AutoProjectedGradientDescent(epsilon, norm, range, loss, targetClasses, newIterations, restarts,
                rho, seed);
    }

    /**
     * @param newRestarts the runs from new random starting points, at least 1
     * @return this attack with another number of restarts
     */
    public AutoProjectedGradientDescent withRestarts(int newRestarts) {
        return new AutoProjectedGradientDescent(epsilon, norm, range, loss, targetClasses, iterations, newRestarts,
                rho, seed);
    }

    /**
     * @param newRho the share of rising steps, in [0, 1], at or below which a checkpoint halves the step
     * @return this attack with another {@code ρ}
     */
    public AutoProjectedGradientDescent withRho(double newRho) {
        return new AutoProjectedGradientDescent(epsilon, norm, range, loss, targetClasses, iterations, restarts,
                newRho, seed);
    }

    /**
     * @param newSeed the seed of the random starting points
     * @return this attack with another seed
     */
    public AutoProjectedGradientDescent withSeed(long newSeed) {
        return new AutoProjectedGradientDescent(epsilon, norm, range, loss, targetClasses, iterations, restarts, rho,
                newSeed);
    }

    /**
     * @return {@code attack}, {@code norm}, {@code epsilon}, {@code loss}, {@code iterations}, {@code restarts},
     *         {@code rho}, {@code momentum}, {@code seed}, {@code targeted}, {@code range}
     */
    @Override
    public Map<String, String> parameters() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("attack", name());
        p.put("norm", norm.symbol());
        p.put("epsilon", Epsilons.format(epsilon));
        p.put("loss", searchLoss().description());
        p.put("iterations", String.valueOf(iterations));
        p.put("restarts", String.valueOf(restarts));
        p.put("rho", Epsilons.format(rho));
        p.put("momentum", Epsilons.format(ApgdSearch.MOMENTUM));
        p.put("seed", String.valueOf(seed));
        p.put("targeted", targetClasses == 0 ? "no" : "top " + targetClasses + " classes");
        p.put("range", range.toString());
        return p;
    }

    @Override
    public String displayName() {
        return Epsilons.displayName(name(), epsilon, norm, null);
    }

    @Override
    public void generate(DifferentiableClassifier model, float[] inputs, int[] labels, int from, int count,
                         float[] adversarial) {
        AttackInputs.check(name(), model, inputs, labels, from, count, adversarial, range, norm, epsilon);
        checkClasses(model);
        int d = model.inputSize();
        System.arraycopy(inputs, from * d, adversarial, from * d, count * d);
        attack(model, inputs, labels, AttackInputs.correctRows(model, inputs, labels, from, count), adversarial);
    }

    /** @throws IllegalArgumentException if the model has too few classes for the loss */
    void checkClasses(DifferentiableClassifier model) {
        ApgdLoss l = searchLoss();
        AttackInputs.checkClasses(name(), "the " + l.description() + " loss compares the "
                + (l == ApgdLoss.TARGETED_DLR ? "true, target, first, third and fourth" : "true, first and third")
                + " largest logits", l.minClasses(), model);
    }

    /**
     * Attacks the listed rows, each classified correctly, writing each fooled example's adversarial version into
     * its row of {@code adversarial}.
     *
     * @return for each listed row, whether it was fooled
     */
    boolean[] attack(DifferentiableClassifier model, float[] inputs, int[] labels, int[] rows, float[] adversarial) {
        ApgdSearch search = new ApgdSearch(model, searchLoss(), norm, epsilon, range, iterations, rho);
        boolean[] fooled = new boolean[rows.length];
        if (targetClasses == 0) {
            for (int restart = 0; restart < restarts; restart++) {
                runOnRemaining(search, inputs, labels, rows, null, restart, fooled, adversarial);
            }
            return fooled;
        }
        int[][] ranking = ranking(model, inputs, rows);
        int targets = Math.min(targetClasses, model.numClasses() - 1);
        for (int rank = 1; rank <= targets; rank++) {
            int[] target = new int[rows.length];
            for (int j = 0; j < rows.length; j++) {
                target[j] = ranking[j][rank];
            }
            for (int restart = 0; restart < restarts; restart++) {
                runOnRemaining(search, inputs, labels, rows, target, rank * restarts + restart, fooled, adversarial);
            }
        }
        return fooled;
    }

    private void runOnRemaining(ApgdSearch search, float[] inputs, int[] labels, int[] rows, int[] targets,
                                int stream, boolean[] fooled, float[] adversarial) {
        int[] remaining = new int[rows.length];
        int n = 0;
        for (int j = 0; j < rows.length; j++) {
            if (!fooled[j]) {
                remaining[n++] = j;
            }
        }
        if (n == 0) {
            return;
        }
        int[] subsetRows = new int[n];
        int[] subsetTargets = targets == null ? null : new int[n];
        for (int i = 0; i < n; i++) {
            subsetRows[i] = rows[remaining[i]];
            if (targets != null) {
                subsetTargets[i] = targets[remaining[i]];
            }
        }
        boolean[] result = search.run(inputs, labels, subsetRows, subsetTargets, seed, stream, adversarial);
        for (int i = 0; i < n; i++) {
            fooled[remaining[i]] = result[i];
        }
    }

    /** @return each listed row's classes by decreasing clean logit */
    private static int[][] ranking(DifferentiableClassifier model, float[] inputs, int[] rows) {
        int d = model.inputSize();
        int c = model.numClasses();
        float[] batch = new float[rows.length * d];
        for (int j = 0; j < rows.length; j++) {
            System.arraycopy(inputs, rows[j] * d, batch, j * d, d);
        }
        float[] logits = new float[rows.length * c];
        model.logits(batch, 0, rows.length, logits);
        int[][] ranking = new int[rows.length][];
        for (int j = 0; j < rows.length; j++) {
            ranking[j] = Logits.ranking(logits, j * c, c);
        }
        return ranking;
    }

    ApgdLoss searchLoss() {
        return targetClasses > 0 ? ApgdLoss.TARGETED_DLR : loss == Loss.DLR ? ApgdLoss.DLR : ApgdLoss.CROSS_ENTROPY;
    }

    @Override
    public String toString() {
        return displayName() + " " + parameters();
    }
}
