package io.robustunit.health;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.apiguardian.api.API;

import io.robustunit.attack.Attack;
import io.robustunit.attack.Attacks;
import io.robustunit.attack.Norm;
import io.robustunit.data.InputRange;
import io.robustunit.data.LabelledDataset;
import io.robustunit.metrics.EvaluationResult;
import io.robustunit.metrics.RobustnessEvaluator;
import io.robustunit.model.DifferentiableClassifier;

/**
 * The measurements {@link EvaluationHealth} compares an attack with, on one sample at one norm and ε: the clean
 * probabilities twice, the cross-entropy gradients at the clean points, FGSM, PGD-20 at ε, 2ε and the full input
 * range, and a 100-query Square Attack. They do not depend on the attack judged, so one set serves every attack of
 * the same sample, norm and ε. Measuring costs about 110 gradient computations per example.
 */
@API(status = EXPERIMENTAL, since = "0.2")
public final class HealthProbes {

    /** The queries of the black-box probe. */
    public static final int SQUARE_QUERIES = 100;

    /** The steps of the iterative probe, PGD's default. */
    public static final int PGD_STEPS = 20;

    private final int size;
    private final Norm norm;
    private final double epsilon;
    private final String probabilityProblem;
    private final double repeatDifference;
    private final int repeatChangedPredictions;
    private final int correct;
    private final int zeroGradients;
    private final int fgsmCorrect;
    private final String fgsmName;
    private final List<double[]> pgdCorrect;
    private final int squareCorrect;

    private HealthProbes(Builder b) {
        this.size = b.size;
        this.norm = b.norm;
        this.epsilon = b.epsilon;
        this.probabilityProblem = b.probabilityProblem;
        this.repeatDifference = b.repeatDifference;
        this.repeatChangedPredictions = b.repeatChangedPredictions;
        this.correct = b.correct;
        this.zeroGradients = b.zeroGradients;
        this.fgsmCorrect = b.fgsmCorrect;
        this.fgsmName = b.fgsmName;
        this.pgdCorrect = List.copyOf(b.pgdCorrect);
        this.squareCorrect = b.squareCorrect;
    }

    /**
     * @param model the evaluated classifier
     * @param data the sample, in the order the judged results list it
     * @param norm the norm of the judged attacks
     * @param epsilon their budget
     * @param seed the seed of the probes' random choices
     * @param batchSize examples attacked at once; it does not change the results
     * @return the probes
     * @throws IllegalArgumentException if the data do not fit the model, or ε does not fit the data's range
     */
    public static HealthProbes measure(DifferentiableClassifier model, LabelledDataset data, Norm norm,
                                       double epsilon, long seed, int batchSize) {
        Objects.requireNonNull(model, "model");
        Builder b = new Builder(data.size(), norm, epsilon);
        RobustnessEvaluator evaluator = RobustnessEvaluator.of(model).batchSize(batchSize);
        probabilities(model, data, batchSize, b);
        gradients(model, data, batchSize, b);
        InputRange range = data.range();
        Attack fgsm = Attacks.fgm(epsilon, norm, range);
        b.fgsmName = fgsm.name();
        b.fgsmCorrect = evaluator.evaluate(data, fgsm).adversarial().correct();
        double full = norm == Norm.LINF ? range.width() : range.width() * Math.sqrt(model.inputSize());
        List<Double> grid = new ArrayList<>(List.of(epsilon));
        if (2 * epsilon < full) {
            grid.add(2 * epsilon);
        }
        if (epsilon < full) {
            grid.add(full);
        }
        for (double eps : grid) {
            Attack pgd = Attacks.pgd(eps, norm, range).withSteps(PGD_STEPS);
            b.pgdCorrect.add(new double[] {eps, evaluator.evaluate(data, pgd).adversarial().correct()});
        }
        Attack square = Attacks.square(epsilon, norm, range).withQueries(SQUARE_QUERIES).withSeed(seed);
        b.squareCorrect = evaluator.evaluate(data, square).adversarial().correct();
        return new HealthProbes(b);
    }

    private static void probabilities(DifferentiableClassifier model, LabelledDataset data, int batchSize,
                                      Builder b) {
        int n = data.size();
        int c = model.numClasses();
        float[] x = data.features();
        float[] first = new float[n * c];
        float[] second = new float[n * c];
        for (int from = 0; from < n; from += batchSize) {
            model.probabilities(x, from, Math.min(batchSize, n - from), first);
        }
        for (int from = 0; from < n; from += batchSize) {
            model.probabilities(x, from, Math.min(batchSize, n - from), second);
        }
        int[] labels = data.labels();
        for (int r = 0; r < n && b.probabilityProblem == null; r++) {
            double sum = 0;
            for (int k = 0; k < c; k++) {
                float p = first[r * c + k];
                if (!(p >= -1e-5f && p <= 1 + 1e-5f)) {
                    b.probabilityProblem = "example " + r + " has probability " + p + " for class " + k;
                }
                sum += p;
            }
            if (b.probabilityProblem == null && !(Math.abs(sum - 1) <= 1e-4)) {
                b.probabilityProblem = "the probabilities of example " + r + " sum to " + sum;
            }
        }
        for (int r = 0; r < n; r++) {
            int a = argmax(first, r * c, c);
            b.correct += a == labels[r] ? 1 : 0;
            b.repeatChangedPredictions += a != argmax(second, r * c, c) ? 1 : 0;
            for (int k = 0; k < c; k++) {
                float u = first[r * c + k];
                float v = second[r * c + k];
                double diff = Float.floatToIntBits(u) == Float.floatToIntBits(v) ? 0
                        : Double.isNaN((double) u - v) ? Double.POSITIVE_INFINITY : Math.abs((double) u - v);
                b.repeatDifference = Math.max(b.repeatDifference, diff);
            }
        }
    }

    private static void gradients(DifferentiableClassifier model, LabelledDataset data, int batchSize, Builder b) {
        int n = data.size();
        int d = model.inputSize();
        int c = model.numClasses();
        float[] x = data.features();
        int[] labels = data.labels();
        float[] gradient = new float[n * d];
        float[] p = new float[n * c];
        for (int from = 0; from < n; from += batchSize) {
            int count = Math.min(batchSize, n - from);
            model.lossGradient(x, labels, from, count, gradient);
            model.probabilities(x, from, count, p);
        }
        for (int r = 0; r < n; r++) {
            if (argmax(p, r * c, c) != labels[r]) {
                continue;
            }
            boolean zero = true;
            for (int i = r * d; i < (r + 1) * d && zero; i++) {
                zero = gradient[i] == 0f;
            }
            b.zeroGradients += zero ? 1 : 0;
        }
    }

    private static int argmax(float[] p, int offset, int classes) {
        int best = 0;
        for (int k = 1; k < classes; k++) {
            if (p[offset + k] > p[offset + best]) {
                best = k;
            }
        }
        return best;
    }

    /**
     * @param result an evaluation on the sample these probes were measured on, at their norm and ε
     * @return every check of {@link EvaluationHealth}, in its order
     * @throws IllegalArgumentException if the result is of another size, norm or ε
     */
    public EvaluationHealth assess(EvaluationResult result) {
        Attack attack = result.attack();
        if (result.size() != size || attack.norm() != norm || attack.epsilon() != epsilon) {
            throw new IllegalArgumentException("the probes were measured on " + size + " examples at " + norm.symbol()
                    + " ε=" + epsilon + " but the result is of " + result.size() + " examples at "
                    + attack.norm().symbol() + " ε=" + attack.epsilon());
        }
        return new HealthAssessment(this, result).checks();
    }

    int size() {
        return size;
    }

    Norm norm() {
        return norm;
    }

    String probabilityProblem() {
        return probabilityProblem;
    }

    double repeatDifference() {
        return repeatDifference;
    }

    int repeatChangedPredictions() {
        return repeatChangedPredictions;
    }

    int correct() {
        return correct;
    }

    int zeroGradients() {
        return zeroGradients;
    }

    int fgsmCorrect() {
        return fgsmCorrect;
    }

    String fgsmName() {
        return fgsmName;
    }

    /** @return (ε, examples correct) of PGD-20 for ε, 2ε if below the full range, and the full range */
    List<double[]> pgdCorrect() {
        return pgdCorrect;
    }

    int squareCorrect() {
        return squareCorrect;
    }

    private static final class Builder {
        final int size;
        final Norm norm;
        final double epsilon;
        String probabilityProblem;
        double repeatDifference;
        int repeatChangedPredictions;
        int correct;
        int zeroGradients;
        int fgsmCorrect;
        String fgsmName;
        final List<double[]> pgdCorrect = new ArrayList<>();
        int squareCorrect;

        Builder(int size, Norm norm, double epsilon) {
            this.size = size;
            this.norm = Objects.requireNonNull(norm, "norm");
            this.epsilon = epsilon;
        }
    }
}
