package io.robustunit.attack;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.apiguardian.api.API;

import io.robustunit.data.InputRange;
import io.robustunit.model.DifferentiableClassifier;

/**
 * The Square Attack (Andriushchenko, Croce, Flammarion and Hein, "Square Attack: a query-efficient black-box
 * adversarial attack via random search", ECCV 2020): a score-based black box that uses only
 * {@link DifferentiableClassifier#probabilities}, never a gradient. It is the check that gradient masking cannot
 * fool: a model whose gradients are useless to PGD still has to answer its queries.
 *
 * <p>Each example starts at a random corner-like point of the ε-ball (vertical stripes of {@code ±ε} for L∞, a grid
 * of bump pairs of norm ε for L2). Each query then changes one square window of the best point so far and keeps the
 * change if it lowers the margin {@code ln p_y − max_{k≠y} ln p_k} or misclassifies the example. The window covers a
 * share {@code p} of the image, {@code p_init} (0.8) for the first 10 queries and halved after 10, 50, 200, 500,
 * 1,000, 2,000, 4,000, 6,000 and 8,000 queries, as in AutoAttack's standard version. An example stops at its first
 * misclassified query; one that survives every query costs {@code queries + 1} forward passes.
 *
 * <p>Features are read as an image, channels first: {@code 1×s×s} for {@code s²} features, {@code 3×s×s} for
 * {@code 3s²}, otherwise a single row, where every window is one feature. Declare other layouts with
 * {@link #withImageShape(int, int, int)}. Only examples classified correctly are attacked; every other example is
 * returned unchanged. Each example's random draws depend only on the seed and its row.
 */
@API(status = EXPERIMENTAL, since = "0.2")
public final class SquareAttack implements Attack {

    /** The default number of queries per example, AutoAttack's. */
    public static final int DEFAULT_QUERIES = 5000;

    /** The default share of the image the first windows cover, AutoAttack's. */
    public static final double DEFAULT_P_INIT = 0.8;

    private final double epsilon;
    private final Norm norm;
    private final InputRange range;
    private final int queries;
    private final double pInit;
    private final long seed;
    private final ImageShape shape;

    SquareAttack(double epsilon, Norm norm, InputRange range, int queries, double pInit, long seed, ImageShape shape) {
        this.norm = Objects.requireNonNull(norm, "norm");
        this.range = Objects.requireNonNull(range, "range");
        this.epsilon = epsilon;
        this.queries = queries;
        this.pInit = pInit;
        this.seed = seed;
        this.shape = shape;
        if (norm == Norm.LINF) {
            Epsilons.checkLinf(name(), epsilon, range);
        } else {
            Epsilons.checkPositive(name(), "epsilon", epsilon);
        }
        if (queries < 0) {
            throw new IllegalArgumentException("Square queries must be >= 0 but was " + queries);
        }
        if (!(pInit > 0 && pInit <= 1)) {
            throw new IllegalArgumentException("Square p_init must be in (0, 1] but was " + pInit);
        }
    }

    static SquareAttack defaults(double epsilon, Norm norm, InputRange range) {
        return new SquareAttack(epsilon, norm, range, DEFAULT_QUERIES, DEFAULT_P_INIT, 0L, null);
    }

    /** @return {@code Square} */
    @Override
    public String name() {
        return "Square";
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

    /** @return the queries per example after the first */
    public int queries() {
        return queries;
    }

    /** @return the share of the image the first windows cover */
    public double pInit() {
        return pInit;
    }

    /** @return the seed of the random search */
    public long seed() {
        return seed;
    }

    @Override
    public SquareAttack withEpsilon(double newEpsilon) {
        return new SquareAttack(newEpsilon, norm, range, queries, pInit, seed, shape);
    }

    @Override
    public SquareAttack withRange(InputRange newRange) {
        return new SquareAttack(epsilon, norm, newRange, queries, pInit, seed, shape);
    }

    /**
     * @param newNorm the norm of the ball
     * @return this attack with another norm
     */
    public SquareAttack withNorm(Norm newNorm) {
        return new SquareAttack(epsilon, newNorm, range, queries, pInit, seed, shape);
    }

    /**
     * @param newQueries the queries per example after the first, at least 0
     * @return this attack with another budget; the window schedule stays tied to the query count
     */
    public SquareAttack withQueries(int newQueries) {
        return new SquareAttack(epsilon, norm, range, newQueries, pInit, seed, shape);
    }

    /**
     * @param newPInit the share of the image the first windows cover, in (0, 1]
     * @return this attack with another window schedule
     */
    public SquareAttack withPInit(double newPInit) {
        return new SquareAttack(epsilon, norm, range, queries, newPInit, seed, shape);
    }

    /**
     * @param newSeed the seed of the random search
     * @return this attack with another seed
     */
    public SquareAttack withSeed(long newSeed) {
        return new SquareAttack(epsilon, norm, range, queries, pInit, newSeed, shape);
    }

    /**
     * @param channels the channels of each example, stored first
     * @param height the rows of each channel
     * @param width the columns of each row
     * @return this attack reading features as {@code channels × height × width} images
     */
    public SquareAttack withImageShape(int channels, int height, int width) {
        return new SquareAttack(epsilon, norm, range, queries, pInit, seed, new ImageShape(channels, height, width));
    }

    /**
     * @return {@code attack}, {@code norm}, {@code epsilon}, {@code queries}, {@code pInit}, {@code image}
     *         ({@code inferred} or {@code c×h×w}), {@code seed}, {@code targeted}, {@code range}
     */
    @Override
    public Map<String, String> parameters() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("attack", name());
        p.put("norm", norm.symbol());
        p.put("epsilon", Epsilons.format(epsilon));
        p.put("queries", String.valueOf(queries));
        p.put("pInit", Epsilons.format(pInit));
        p.put("image", shape == null ? "inferred" : shape.toString());
        p.put("seed", String.valueOf(seed));
        p.put("targeted", "no");
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
        ImageShape image = shapeFor(model);
        int d = model.inputSize();
        System.arraycopy(inputs, from * d, adversarial, from * d, count * d);
        new SquareSearch(model, norm, epsilon, range, queries, pInit, image).run(inputs, labels,
                AttackInputs.correctRows(model, inputs, labels, from, count), seed, adversarial);
    }

    /** As {@link #generate}, on rows already known to be classified correctly. */
    boolean[] attack(DifferentiableClassifier model, float[] inputs, int[] labels, int[] rows, float[] adversarial) {
        return new SquareSearch(model, norm, epsilon, range, queries, pInit, shapeFor(model)).run(inputs, labels,
                rows, seed, adversarial);
    }

    /** @throws IllegalArgumentException if a declared image shape does not fit the model's input */
    ImageShape shapeFor(DifferentiableClassifier model) {
        if (shape == null) {
            return ImageShape.infer(model.inputSize());
        }
        if (shape.size() != model.inputSize()) {
            throw new IllegalArgumentException("Square image shape " + shape + " has " + shape.size()
                    + " features but the model takes " + model.inputSize());
        }
        return shape;
    }

    @Override
    public String toString() {
        return displayName() + " " + parameters();
    }
}
