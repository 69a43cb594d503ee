package io.robustunit.attack;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import io.robustunit.data.InputRange;
import io.robustunit.model.DifferentiableClassifier;

/**
 * One run of Auto-PGD (Croce and Hein 2020, Algorithm 1) over a set of examples, each with its own state:
 * <ul>
 *   <li>start at a random point of the ε-ball (uniform direction scaled to the ball's boundary);</li>
 *   <li>step {@code η} along {@code sign(g)} (L∞) or {@code g/‖g‖₂} (L2), project, then mix in momentum:
 *       {@code x ← P(x + α·(z − x) + (1 − α)·(x − x_prev))} with {@code α = 0.75} after the first step;</li>
 *   <li>start with {@code η = 2ε}; at checkpoints that come closer together (after 22%, then every 3% less of the
 *       budget, at least 6%), halve {@code η} and go back to the best point so far where the loss rose in at most
 *       {@code ρ} of the steps since the last checkpoint, or where the step was not halved last time and the best
 *       loss has not improved since;</li>
 *   <li>an example is fooled as soon as an iterate is misclassified, and then stops.</li>
 * </ul>
 * The loss is computed on the logits, in double precision; each iteration costs one forward and one backward pass
 * per example still running. The examples still running are kept in the first rows of every array, so the
 * classifier reads and writes them in place, and their steps are computed in parallel.
 */
final class ApgdSearch {

    /** The weight of the new step against the last one, {@code α}. */
    static final double MOMENTUM = 0.75;

    /** The first step size, as a multiple of ε. */
    static final double INITIAL_STEP = 2.0;

    private final DifferentiableClassifier model;
    private final ApgdLoss loss;
    private final Norm norm;
    private final float eps;
    private final float lower;
    private final float upper;
    private final int iterations;
    private final double rho;
    private final int d;
    private final int classes;
    /** Three rows per thread for the steps, which run in parallel. */
    private final ThreadLocal<float[][]> scratch;

    ApgdSearch(DifferentiableClassifier model, ApgdLoss loss, Norm norm, double epsilon, InputRange range,
               int iterations, double rho) {
        this.model = model;
        this.loss = loss;
        this.norm = norm;
        this.eps = (float) epsilon;
        this.lower = range.lower();
        this.upper = range.upper();
        this.iterations = iterations;
        this.rho = rho;
        this.d = model.inputSize();
        this.classes = model.numClasses();
        this.scratch = ThreadLocal.withInitial(() -> new float[3][d]);
    }

    /**
     * @param inputs the clean examples
     * @param labels their true classes, indexed like {@code inputs}
     * @param rows the rows to attack, each classified correctly
     * @param targets for the targeted loss, each listed example's target class; else {@code null}
     * @param seed the attack's seed
     * @param stream which of the attack's runs this is, for the random start
     * @param adversarial receives, at its row, the first misclassified iterate of each fooled example
     * @return for each listed example, whether it was fooled
     */
    boolean[] run(float[] inputs, int[] labels, int[] rows, int[] targets, long seed, int stream,
                  float[] adversarial) {
        State s = new State(inputs, labels, rows, targets);
        parallel(s.live, a -> randomStart(s, a, RandomStreams.of(seed, rows[a], stream)));
        evaluate(s);
        for (int a = 0; a < s.live; a++) {
            s.best[a] = Arrays.copyOfRange(s.x, a * d, a * d + d);
            s.bestGradient[a] = Arrays.copyOfRange(s.gradient, a * d, a * d + d);
            s.previous[a] = s.best[a].clone();
        }
        System.arraycopy(s.lossNow, 0, s.bestLoss, 0, s.live);
        System.arraycopy(s.lossNow, 0, s.bestAtLastCheck, 0, s.live);
        retireFooled(s, adversarial);

        int sinceCheck = 0;
        int checkEvery = Math.max((int) (0.22 * iterations), 1);
        int minCheckEvery = Math.max((int) (0.06 * iterations), 1);
        int shrink = Math.max((int) (0.03 * iterations), 1);
        for (int i = 0; i < iterations && s.live > 0; i++) {
            float alpha = i == 0 ? 1f : (float) MOMENTUM;
            parallel(s.live, a -> move(s, a, alpha));
            evaluate(s);
            for (int a = 0; a < s.live; a++) {
                s.history[a * iterations + i] = s.lossNow[a];
                if (s.lossNow[a] > s.bestLoss[a]) {
                    s.bestLoss[a] = s.lossNow[a];
                    System.arraycopy(s.x, a * d, s.best[a], 0, d);
                    System.arraycopy(s.gradient, a * d, s.bestGradient[a], 0, d);
                }
            }
            retireFooled(s, adversarial);
            if (++sinceCheck == checkEvery) {
                for (int a = 0; a < s.live; a++) {
                    checkpoint(s, a, i, checkEvery);
                }
                checkEvery = Math.max(checkEvery - shrink, minCheckEvery);
                sinceCheck = 0;
            }
        }
        return s.fooled;
    }

    /**
     * Halves the step and returns to the best point if the loss rose in at most {@code ρ·k} of the last {@code k}
     * steps (the loss before the first step counting as 0, as in the reference implementation), or if the step was
     * not halved at the last checkpoint and the best loss has not improved since.
     */
    private void checkpoint(State s, int a, int i, int k) {
        int rises = 0;
        for (int c = 0; c < k; c++) {
            double before = i - c - 1 >= 0 ? s.history[a * iterations + i - c - 1] : 0;
            rises += s.history[a * iterations + i - c] > before ? 1 : 0;
        }
        boolean halve = rises <= k * rho || !s.reducedAtLastCheck[a] && s.bestAtLastCheck[a] >= s.bestLoss[a];
        s.reducedAtLastCheck[a] = halve;
        s.bestAtLastCheck[a] = s.bestLoss[a];
        if (halve) {
            s.step[a] /= 2;
            System.arraycopy(s.best[a], 0, s.x, a * d, d);
            System.arraycopy(s.bestGradient[a], 0, s.gradient, a * d, d);
        }
    }

    private void randomStart(State s, int a, SplittableRandom random) {
        double[] t = new double[d];
        double length = 0;
        for (int i = 0; i < d; i++) {
            t[i] = norm == Norm.LINF ? random.nextDouble(-1, 1) : RandomStreams.gaussian(random);
            length = norm == Norm.LINF ? Math.max(length, Math.abs(t[i])) : length + t[i] * t[i];
        }
        double scale = eps / ((norm == Norm.LINF ? length : Math.sqrt(length)) + 1e-12);
        float[] clean = s.clean[a];
        for (int i = 0; i < d; i++) {
            s.x[a * d + i] = clip((float) (clean[i] + scale * t[i]), lower, upper);
        }
    }

    /** One step with momentum for the example in row {@code a}. */
    private void move(State s, int a, float alpha) {
        if (norm == Norm.LINF) {
            moveLinf(s, a, alpha);
        } else {
            moveL2(s, a, alpha);
        }
    }

    /**
     * Two plain loops of {@code Math.min}/{@code max} over arrays that all start at index 0, which C2 vectorizes; a
     * fused loop, an offset into a longer array or a branch per element each make it an order of magnitude slower.
     * {@code g·Float.MAX_VALUE} clamped to {@code ±η} is {@code η·sign(g)} for every normal float and 0 for a zero
     * gradient; only subnormal components get a shorter step.
     */
    private void moveLinf(State s, int a, float alpha) {
        int o = a * d;
        float[][] rows = scratch.get();
        float[] x = rows[0];
        float[] g = rows[1];
        float[] z = rows[2];
        System.arraycopy(s.x, o, x, 0, d);
        System.arraycopy(s.gradient, o, g, 0, d);
        float[] previous = s.previous[a];
        float[] lo = s.lo[a];
        float[] hi = s.hi[a];
        float eta = s.step[a];
        float minusEta = -eta;
        for (int i = 0; i < d; i++) {
            z[i] = Math.min(Math.max(x[i] + Math.min(Math.max(g[i] * Float.MAX_VALUE, minusEta), eta), lo[i]), hi[i]);
        }
        float keep = 1f - alpha;
        for (int i = 0; i < d; i++) {
            float now = x[i];
            float next = now + alpha * (z[i] - now) + keep * (now - previous[i]);
            previous[i] = now;
            x[i] = Math.min(Math.max(next, lo[i]), hi[i]);
        }
        System.arraycopy(x, 0, s.x, o, d);
    }

    private void moveL2(State s, int a, float alpha) {
        int o = a * d;
        float[] x = Arrays.copyOfRange(s.x, o, o + d);
        float[] g = Arrays.copyOfRange(s.gradient, o, o + d);
        float[] clean = s.clean[a];
        double length = 0;
        for (int i = 0; i < d; i++) {
            length += (double) g[i] * g[i];
        }
        float scale = (float) (s.step[a] / (Math.sqrt(length) + 1e-12));
        float[] v = new float[d];
        for (int i = 0; i < d; i++) {
            v[i] = x[i] + scale * g[i];
        }
        projectL2(clean, v);
        float keep = 1f - alpha;
        float[] previous = s.previous[a];
        for (int i = 0; i < d; i++) {
            v[i] = x[i] + alpha * (v[i] - x[i]) + keep * (x[i] - previous[i]);
        }
        projectL2(clean, v);
        s.previous[a] = x;
        System.arraycopy(v, 0, s.x, o, d);
    }

    /** {@code v ← clip(x + (v − x)·min(ε, ‖v − x‖)/‖v − x‖)}. */
    private void projectL2(float[] clean, float[] v) {
        double length = 0;
        for (int i = 0; i < d; i++) {
            double delta = v[i] - clean[i];
            length += delta * delta;
        }
        length = Math.sqrt(length);
        float scale = (float) (Math.min(eps, length) / (length + 1e-12));
        for (int i = 0; i < d; i++) {
            v[i] = Math.min(Math.max(clean[i] + scale * (v[i] - clean[i]), lower), upper);
        }
    }

    private static float clip(float v, float lo, float hi) {
        return Math.min(Math.max(v, lo), hi);
    }

    /** Logits, loss and gradient at the current point of every running example, in one call, in place. */
    private void evaluate(State s) {
        int m = s.live;
        int[] labels = s.labels;
        int[] targets = s.targets;
        double[] values = s.lossNow;
        float[] logits = new float[m * classes];
        model.logitGradient(s.x, 0, m, (example, z, zo, g, go, c) ->
                values[example] = loss.apply(z, zo, c, labels[example], targets == null ? -1 : targets[example], g,
                        go), logits, s.gradient);
        for (int a = 0; a < m; a++) {
            s.predicted[a] = Logits.argmax(logits, a * classes, classes);
        }
    }

    /** Records each newly misclassified example's point and stops it, moving the last running example into its row. */
    private void retireFooled(State s, float[] adversarial) {
        for (int a = s.live - 1; a >= 0; a--) {
            if (s.predicted[a] != s.labels[a]) {
                s.fooled[s.origin[a]] = true;
                System.arraycopy(s.x, a * d, adversarial, s.rows[a] * d, d);
                s.live--;
                s.moveRow(s.live, a);
            }
        }
    }

    private static void parallel(int count, java.util.function.IntConsumer row) {
        IntStream.range(0, count).parallel().forEach(row);
    }

    /** The examples of one run; the first {@code live} rows of every array are those still running. */
    private final class State {
        final int[] origin;
        final int[] rows;
        final int[] labels;
        final int[] targets;
        final float[][] clean;
        final float[][] lo;
        final float[][] hi;
        final float[] x;
        final float[][] previous;
        final float[] gradient;
        final float[][] best;
        final float[][] bestGradient;
        final float[] step;
        final double[] lossNow;
        final double[] bestLoss;
        final double[] bestAtLastCheck;
        final boolean[] reducedAtLastCheck;
        final double[] history;
        final int[] predicted;
        final boolean[] fooled;
        int live;

        State(float[] inputs, int[] allLabels, int[] rows, int[] targets) {
            int n = rows.length;
            this.origin = IntStream.range(0, n).toArray();
            this.rows = rows.clone();
            this.targets = targets == null ? null : targets.clone();
            this.labels = new int[n];
            this.clean = new float[n][];
            this.lo = new float[n][];
            this.hi = new float[n][];
            for (int j = 0; j < n; j++) {
                labels[j] = allLabels[rows[j]];
                clean[j] = Arrays.copyOfRange(inputs, rows[j] * d, rows[j] * d + d);
                lo[j] = new float[d];
                hi[j] = new float[d];
                for (int i = 0; i < d; i++) {
                    lo[j][i] = Math.max(clean[j][i] - eps, lower);
                    hi[j][i] = Math.min(clean[j][i] + eps, upper);
                }
            }
            this.x = new float[n * d];
            this.previous = new float[n][];
            this.gradient = new float[n * d];
            this.best = new float[n][];
            this.bestGradient = new float[n][];
            this.step = new float[n];
            Arrays.fill(step, (float) (INITIAL_STEP * eps));
            this.lossNow = new double[n];
            this.bestLoss = new double[n];
            this.bestAtLastCheck = new double[n];
            this.reducedAtLastCheck = new boolean[n];
            Arrays.fill(reducedAtLastCheck, true);
            this.history = new double[n * iterations];
            this.predicted = new int[n];
            this.fooled = new boolean[n];
            this.live = n;
        }

        /** Copies row {@code from} over row {@code to}. */
        void moveRow(int from, int to) {
            if (from == to) {
                return;
            }
            origin[to] = origin[from];
            rows[to] = rows[from];
            labels[to] = labels[from];
            if (targets != null) {
                targets[to] = targets[from];
            }
            for (float[][] a : new float[][][] {clean, lo, hi, previous, best, bestGradient}) {
                a[to] = a[from];
            }
            System.arraycopy(x, from * d, x, to * d, d);
            System.arraycopy(gradient, from * d, gradient, to * d, d);
            step[to] = step[from];
            lossNow[to] = lossNow[from];
            bestLoss[to] = bestLoss[from];
            bestAtLastCheck[to] = bestAtLastCheck[from];
            reducedAtLastCheck[to] = reducedAtLastCheck[from];
            predicted[to] = predicted[from];
            System.arraycopy(history, from * iterations, history, to * iterations, iterations);
        }
    }
}
