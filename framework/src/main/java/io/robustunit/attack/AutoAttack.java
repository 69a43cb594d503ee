package io.robustunit.attack;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apiguardian.api.API;

import io.robustunit.data.InputRange;
import io.robustunit.model.DifferentiableClassifier;

/**
 * The standard AutoAttack ensemble of Croce and Hein (ICML 2020) without FAB-T: APGD-CE, then APGD-T over the top 9
 * classes, then the Square Attack with 5,000 queries, each attacking only the examples that every stage before it
 * left classified correctly. An example's result is the first adversarial example any stage finds for it, or the
 * clean example if none does. Stages share the seed, and each example's random draws depend only on the seed and its
 * row, so an example fooled by the ensemble is exactly one that some stage fools when run alone.
 *
 * <p>FAB-T, the third stage of the reference, is omitted: it minimises the perturbation rather than maximising a
 * loss inside the ball, and in Croce and Hein's evaluations it rarely fools an example the two APGD stages miss.
 * Square, after it, is the gradient-free check. APGD-T needs at least 4 classes.
 */
@API(status = EXPERIMENTAL, since = "0.2")
public final class AutoAttack implements Attack {

    private final AutoProjectedGradientDescent apgdCe;
    private final AutoProjectedGradientDescent apgdT;
    private final SquareAttack square;

    AutoAttack(double epsilon, Norm norm, InputRange range, long seed) {
        this.apgdCe = AutoProjectedGradientDescent.defaults(epsilon, norm, range).withSeed(seed);
        this.apgdT = apgdCe.targetingTopClasses(AutoProjectedGradientDescent.DEFAULT_TARGET_CLASSES);
        this.square = SquareAttack.defaults(epsilon, norm, range).withSeed(seed);
    }

    static AutoAttack defaults(double epsilon, Norm norm, InputRange range) {
        return new AutoAttack(epsilon, norm, range, 0L);
    }

    /** @return {@code AUTO} */
    @Override
    public String name() {
        return "AUTO";
    }

    @Override
    public double epsilon() {
        return apgdCe.epsilon();
    }

    @Override
    public Norm norm() {
        return apgdCe.norm();
    }

    @Override
    public InputRange range() {
        return apgdCe.range();
    }

    /** @return the seed every stage uses */
    public long seed() {
        return apgdCe.seed();
    }

    /** @return the stages in the order they run: APGD-CE, APGD-T, Square */
    public List<Attack> stages() {
        return List.of(apgdCe, apgdT, square);
    }

    @Override
    public AutoAttack withEpsilon(double newEpsilon) {
        return new AutoAttack(newEpsilon, norm(), range(), seed());
    }

    @Override
    public AutoAttack withRange(InputRange newRange) {
        return new AutoAttack(epsilon(), norm(), newRange, seed());
    }

    /**
     * @param newNorm the norm of the ball
     * @return this ensemble with another norm
     */
    public AutoAttack withNorm(Norm newNorm) {
        return new AutoAttack(epsilon(), newNorm, range(), seed());
    }

    /**
     * @param newSeed the seed of every stage
     * @return this ensemble with another seed
     */
    public AutoAttack withSeed(long newSeed) {
        return new AutoAttack(epsilon(), norm(), range(), newSeed);
    }

    /**
     * @return {@code attack}, {@code norm}, {@code epsilon}, {@code stages}, then the stages' own settings
     *         ({@code iterations}, {@code restarts}, {@code rho}, {@code momentum}, {@code targetClasses},
     *         {@code queries}, {@code pInit}), {@code seed}, {@code targeted}, {@code range}
     */
    @Override
    public Map<String, String> parameters() {
        Map<String, String> apgd = apgdCe.parameters();
        Map<String, String> search = square.parameters();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("attack", name());
        p.put("norm", apgd.get("norm"));
        p.put("epsilon", apgd.get("epsilon"));
        p.put("stages", String.join(" → ", stages().stream().map(Attack::name).toList()));
        p.put("iterations", apgd.get("iterations"));
        p.put("restarts", apgd.get("restarts"));
        p.put("rho", apgd.get("rho"));
        p.put("momentum", apgd.get("momentum"));
        p.put("targetClasses", String.valueOf(apgdT.targetClasses()));
        p.put("queries", search.get("queries"));
        p.put("pInit", search.get("pInit"));
        p.put("seed", apgd.get("seed"));
        p.put("targeted", "no");
        p.put("range", apgd.get("range"));
        return p;
    }

    @Override
    public String displayName() {
        return Epsilons.displayName(name(), epsilon(), norm(), null);
    }

    @Override
    public void generate(DifferentiableClassifier model, float[] inputs, int[] labels, int from, int count,
                         float[] adversarial) {
        AttackInputs.check(name(), model, inputs, labels, from, count, adversarial, range(), norm(), epsilon());
        AttackInputs.checkClasses(name(), "its APGD-T stage compares the true, target, first, third and fourth "
                + "largest logits", ApgdLoss.TARGETED_DLR.minClasses(), model);
        square.shapeFor(model);
        int d = model.inputSize();
        System.arraycopy(inputs, from * d, adversarial, from * d, count * d);
        int[] robust = AttackInputs.correctRows(model, inputs, labels, from, count);
        robust = remaining(robust, apgdCe.attack(model, inputs, labels, robust, adversarial));
        robust = remaining(robust, apgdT.attack(model, inputs, labels, robust, adversarial));
        square.attack(model, inputs, labels, robust, adversarial);
    }

    private static int[] remaining(int[] rows, boolean[] fooled) {
        int n = 0;
        int[] kept = new int[rows.length];
        for (int j = 0; j < rows.length; j++) {
            if (!fooled[j]) {
                kept[n++] = rows[j];
            }
        }
        return java.util.Arrays.copyOf(kept, n);
    }

    @Override
    public String toString() {
        return displayName() + " " + parameters();
    }
}
