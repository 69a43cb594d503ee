package io.robustunit.attack;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import io.robustunit.data.InputRange;
import io.robustunit.model.DifferentiableClassifier;

/**
 * The Square Attack's random search (Andriushchenko et al. 2020) over a set of examples, each with its own random
 * stream. It queries only {@link DifferentiableClassifier#probabilities}: the loss is the margin
 * {@code ln p_y − max_{k≠y} ln p_k}, the logit margin, which it lowers. Each query changes one square window of the
 * best point so far, and the candidate is kept if it lowers the margin or is misclassified; the window's side
 * shrinks with the queries spent, from {@code √(p_init·h·w)}.
 * <ul>
 *   <li>L∞: the start puts {@code ±ε} on vertical stripes (one sign per column and channel); a candidate sets its
 *       window to {@code x ± ε}, one sign per channel.</li>
 *   <li>L2: the start is a grid of {@code h/5}-sized blocks, each a pair of opposite bumps, scaled to norm ε; a
 *       candidate moves the perturbation of a second window into the first, reshaped as a new pair of bumps, so the
 *       total stays at norm ε.</li>
 * </ul>
 * An example stops at its first misclassified query. Costs one forward pass per query per example still running.
 */
final class SquareSearch {

    private final DifferentiableClassifier model;
    private final Norm norm;
    private final float eps;
    private final float lower;
    private final float upper;
    private final int queries;
    private final double pInit;
    private final ImageShape shape;
    private final int d;
    private final int classes;
    private final Map<Integer, double[]> bumps = new HashMap<>();

    SquareSearch(DifferentiableClassifier model, Norm norm, double epsilon, InputRange range, int queries,
                 double pInit, ImageShape shape) {
        this.model = model;
        this.norm = norm;
        this.eps = (float) epsilon;
        this.lower = range.lower();
        this.upper = range.upper();
        this.queries = queries;
        this.pInit = pInit;
        this.shape = shape;
        this.d = model.inputSize();
        this.classes = model.numClasses();
    }

    /**
     * @param inputs the clean examples
     * @param labels their classes, indexed like {@code inputs}
     * @param rows the rows to attack, each classified correctly
     * @param seed the attack's seed
     * @param adversarial receives, at its row, the first misclassified query of each fooled example
     * @return for each listed example, whether it was fooled
     */
    boolean[] run(float[] inputs, int[] labels, int[] rows, long seed, float[] adversarial) {
        int n = rows.length;
        float[] clean = new float[n * d];
        int[] y = new int[n];
        SplittableRandom[] random = new SplittableRandom[n];
        for (int j = 0; j < n; j++) {
            System.arraycopy(inputs, rows[j] * d, clean, j * d, d);
            y[j] = labels[rows[j]];
            random[j] = RandomStreams.of(seed, rows[j], 0);
        }
        float[] best = new float[n * d];
        for (int j = 0; j < n; j++) {
            if (norm == Norm.LINF) {
                stripes(clean, best, j * d, random[j]);
            } else {
                blocks(clean, best, j * d, random[j]);
            }
        }
        int[] active = new int[n];
        for (int j = 0; j < n; j++) {
            active[j] = j;
        }
        double[] margin = new double[n];
        boolean[] fooled = new boolean[n];
        int live = query(best, active, n, y, margin, fooled);
        double[] bestMargin = margin.clone();
        float[] candidates = new float[n * d];
        double[] candidateMargin = new double[n];
        boolean[] candidateFooled = new boolean[n];
        for (int i = 0; i < queries && live > 0; i++) {
            double p = fraction(i);
            for (int a = 0; a < live; a++) {
                int j = active[a];
                System.arraycopy(best, j * d, candidates, a * d, d);
                if (norm == Norm.LINF) {
                    linfCandidate(clean, j * d, candidates, a * d, p, random[j]);
                } else {
                    l2Candidate(clean, j * d, best, candidates, a * d, p, random[j]);
                }
            }
            scoreCandidates(candidates, active, live, y, candidateMargin, candidateFooled);
            int kept = 0;
            for (int a = 0; a < live; a++) {
                int j = active[a];
                if (candidateFooled[a] || candidateMargin[a] < bestMargin[j]) {
                    bestMargin[j] = candidateMargin[a];
                    System.arraycopy(candidates, a * d, best, j * d, d);
                }
                if (candidateFooled[a]) {
                    fooled[j] = true;
                } else {
                    active[kept++] = j;
                }
            }
            live = kept;
        }
        for (int j = 0; j < n; j++) {
            if (fooled[j]) {
                System.arraycopy(best, j * d, adversarial, rows[j] * d, d);
            }
        }
        return fooled;
    }

    /** Scores the starting points; returns how many examples are still classified correctly, listed first. */
    private int query(float[] points, int[] active, int n, int[] y, double[] margin, boolean[] fooled) {
        float[] p = new float[n * classes];
        model.probabilities(points, 0, n, p);
        int kept = 0;
        for (int j = 0; j < n; j++) {
            margin[j] = margin(p, j * classes, y[j]);
            fooled[j] = Logits.argmax(p, j * classes, classes) != y[j];
            if (!fooled[j]) {
                active[kept++] = j;
            }
        }
        return kept;
    }

    private void scoreCandidates(float[] candidates, int[] active, int live, int[] y, double[] margin,
                                 boolean[] fooled) {
        float[] p = new float[live * classes];
        model.probabilities(candidates, 0, live, p);
        for (int a = 0; a < live; a++) {
            int label = y[active[a]];
            margin[a] = margin(p, a * classes, label);
            fooled[a] = Logits.argmax(p, a * classes, classes) != label;
        }
    }

    /** {@code ln p_y − max_{k≠y} ln p_k}, with probabilities below the smallest float taken at it. */
    private double margin(float[] p, int offset, int label) {
        float other = 0f;
        for (int k = 0; k < classes; k++) {
            if (k != label) {
                other = Math.max(other, p[offset + k]);
            }
        }
        return logOf(p[offset + label]) - logOf(other);
    }

    private static double logOf(float probability) {
        return Math.log(Math.max(probability, Float.MIN_VALUE));
    }

    /** The share {@code p} of the image a window covers after {@code i} queries: {@code p_init}, halved in steps. */
    double fraction(int i) {
        int[] bounds = {10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000};
        double p = pInit;
        for (int bound : bounds) {
            if (i > bound) {
                p /= 2;
            }
        }
        return p;
    }

    /** @return {@code round(√(p·h·w))}, rounding halves to even as the reference does, and at least {@code min} */
    private int side(double p, int min) {
        return Math.max((int) Math.rint(Math.sqrt(p * shape.height() * shape.width())), min);
    }

    private void stripes(float[] clean, float[] out, int o, SplittableRandom random) {
        int h = shape.height();
        int w = shape.width();
        for (int c = 0; c < shape.channels(); c++) {
            for (int col = 0; col < w; col++) {
                float delta = random.nextBoolean() ? eps : -eps;
                for (int row = 0; row < h; row++) {
                    int i = o + (c * h + row) * w + col;
                    out[i] = clip(clean[i] + delta);
                }
            }
        }
    }

    private void linfCandidate(float[] clean, int o, float[] candidate, int co, double p, SplittableRandom random) {
        int h = shape.height();
        int w = shape.width();
        int s = Math.min(side(p, 1), Math.min(h, w));
        int top = random.nextInt(h - s + 1);
        int left = random.nextInt(w - s + 1);
        for (int c = 0; c < shape.channels(); c++) {
            float delta = random.nextBoolean() ? eps : -eps;
            for (int row = top; row < top + s; row++) {
                int base = (c * h + row) * w;
                for (int col = left; col < left + s; col++) {
                    candidate[co + base + col] = clip(clean[o + base + col] + delta);
                }
            }
        }
    }

    /** The start of L2: a grid of bump pairs with random signs per block and channel, scaled to norm ε. */
    private void blocks(float[] clean, float[] out, int o, SplittableRandom random) {
        int h = shape.height();
        int w = shape.width();
        int s = Math.max(h / 5, 1);
        int start = Math.max((h - 5 * s) / 2, 0);
        double[] delta = new double[d];
        for (int top = start; top + s <= h; top += s) {
            for (int left = start; left + s <= w; left += s) {
                double[] bump = bump(s, random.nextBoolean());
                for (int c = 0; c < shape.channels(); c++) {
                    double sign = random.nextBoolean() ? 1 : -1;
                    for (int r = 0; r < s; r++) {
                        for (int q = 0; q < s; q++) {
                            delta[(c * h + top + r) * w + left + q] += sign * bump[r * s + q];
                        }
                    }
                }
            }
        }
        double scale = eps / (norm(delta) + 1e-12);
        for (int i = 0; i < d; i++) {
            out[o + i] = clip((float) (clean[o + i] + scale * delta[i]));
        }
    }

    private void l2Candidate(float[] clean, int o, float[] best, float[] candidate, int co, double p,
                             SplittableRandom random) {
        int h = shape.height();
        int w = shape.width();
        int s = side(p, 3);
        s = s % 2 == 0 ? s + 1 : s;
        s = Math.min(s, Math.min(h, w));
        int top = random.nextInt(h - s + 1);
        int left = random.nextInt(w - s + 1);
        int top2 = random.nextInt(h - s + 1);
        int left2 = random.nextInt(w - s + 1);
        double[] bump = bump(s, random.nextBoolean());
        double[] delta = new double[d];
        for (int i = 0; i < d; i++) {
            delta[i] = (double) best[o + i] - clean[o + i];
        }
        double total = norm(delta);
        double budget = Math.max((double) eps * eps - total * total, 0) / shape.channels();
        double[] window = new double[s * s];
        for (int c = 0; c < shape.channels(); c++) {
            double sign = random.nextBoolean() ? 1 : -1;
            double first = 0;
            double union = 0;
            for (int r = 0; r < h; r++) {
                for (int q = 0; q < w; q++) {
                    boolean in1 = inside(r, q, top, left, s);
                    if (in1 || inside(r, q, top2, left2, s)) {
                        double v = delta[(c * h + r) * w + q];
                        union += v * v;
                        first += in1 ? v * v : 0;
                    }
                }
            }
            first = Math.sqrt(first);
            double length = 0;
            for (int r = 0; r < s; r++) {
                for (int q = 0; q < s; q++) {
                    double v = sign * bump[r * s + q] + delta[(c * h + top + r) * w + left + q] / (first + 1e-12);
                    window[r * s + q] = v;
                    length += v * v;
                }
            }
            double scale = Math.sqrt(budget + union) / (Math.sqrt(length) + 1e-12);
            for (int r = 0; r < s; r++) {
                for (int q = 0; q < s; q++) {
                    delta[(c * h + top2 + r) * w + left2 + q] = 0;
                }
            }
            for (int r = 0; r < s; r++) {
                for (int q = 0; q < s; q++) {
                    delta[(c * h + top + r) * w + left + q] = window[r * s + q] * scale;
                }
            }
        }
        double scale = eps / (norm(delta) + 1e-12);
        for (int i = 0; i < d; i++) {
            candidate[co + i] = clip((float) (clean[o + i] + scale * delta[i]));
        }
    }

    private static boolean inside(int r, int q, int top, int left, int s) {
        return r >= top && r < top + s && q >= left && q < left + s;
    }

    /**
     * A pair of opposite bumps on an {@code s×s} window, of unit norm: the top {@code s/2} rows rise towards their
     * centre, the others fall; transposed if asked.
     */
    private double[] bump(int s, boolean transpose) {
        double[] m = bumps.computeIfAbsent(s, SquareSearch::bumpPair);
        if (!transpose) {
            return m;
        }
        double[] t = new double[s * s];
        for (int r = 0; r < s; r++) {
            for (int q = 0; q < s; q++) {
                t[q * s + r] = m[r * s + q];
            }
        }
        return t;
    }

    private static double[] bumpPair(int s) {
        double[] m = new double[s * s];
        double[] upper = rectangle(s / 2, s);
        double[] lower = rectangle(s - s / 2, s);
        System.arraycopy(upper, 0, m, 0, upper.length);
        for (int i = 0; i < lower.length; i++) {
            m[upper.length + i] = -lower[i];
        }
        double length = norm(m);
        for (int i = 0; i < m.length; i++) {
            m[i] /= length;
        }
        return m;
    }

    /**
     * An {@code a×b} bump of unit norm: at distance {@code k} (in the maximum norm) from the centre
     * {@code (a/2, b/2)} its value is {@code Σ_{j ≥ k} 1/(j + 1)²}, summed up to {@code max(a/2, b/2)}.
     */
    private static double[] rectangle(int a, int b) {
        double[] m = new double[a * b];
        int rings = Math.max(a / 2 + 1, b / 2 + 1);
        for (int r = 0; r < a; r++) {
            for (int q = 0; q < b; q++) {
                int k = Math.max(Math.abs(r - a / 2), Math.abs(q - b / 2));
                double v = 0;
                for (int j = k; j < rings; j++) {
                    v += 1.0 / ((j + 1.0) * (j + 1.0));
                }
                m[r * b + q] = v;
            }
        }
        double length = norm(m);
        for (int i = 0; i < m.length && length > 0; i++) {
            m[i] /= length;
        }
        return m;
    }

    private static double norm(double[] v) {
        double sum = 0;
        for (double x : v) {
            sum += x * x;
        }
        return Math.sqrt(sum);
    }

    private float clip(float v) {
        return Math.min(Math.max(v, lower), upper);
    }
}
