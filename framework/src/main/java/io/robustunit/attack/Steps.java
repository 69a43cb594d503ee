package io.robustunit.attack;

import io.robustunit.data.InputRange;

/** The per-example arithmetic shared by the gradient attacks. Rows are {@code d} values wide. */
final class Steps {

    private Steps() {
    }

    /** {@code out = clip(x + step·sign(g))} over rows {@code [from, from + count)}; {@code out} may be {@code g}. */
    static void signStep(float[] x, float[] g, float step, int from, int count, int d, InputRange range, float[] out) {
        float lo = range.lower();
        float hi = range.upper();
        int end = (from + count) * d;
        for (int i = from * d; i < end; i++) {
            float v = x[i] + step * Math.signum(g[i]);
            out[i] = Math.min(Math.max(v, lo), hi);
        }
    }

    /** {@code out = clip(x + step·g/‖g‖₂)} per row; a zero gradient leaves the row unchanged. */
    static void l2Step(float[] x, float[] g, float step, int from, int count, int d, InputRange range, float[] out) {
        float lo = range.lower();
        float hi = range.upper();
        for (int r = from; r < from + count; r++) {
            int off = r * d;
            double norm = 0;
            for (int i = off; i < off + d; i++) {
                norm += (double) g[i] * g[i];
            }
            float scale = norm > 0 ? (float) (step / Math.sqrt(norm)) : 0f;
            for (int i = off; i < off + d; i++) {
                out[i] = Math.min(Math.max(x[i] + scale * g[i], lo), hi);
            }
        }
    }

    /** Projects {@code adv} onto the L∞ ball of radius {@code eps} around {@code x}, then clips to the range. */
    static void projectLinf(float[] x, float[] adv, float eps, int from, int count, int d, InputRange range) {
        float lo = range.lower();
        float hi = range.upper();
        int end = (from + count) * d;
        for (int i = from * d; i < end; i++) {
            float v = Math.min(Math.max(adv[i], x[i] - eps), x[i] + eps);
            adv[i] = Math.min(Math.max(v, lo), hi);
        }
    }

    /** Projects {@code adv} onto the L2 ball of radius {@code eps} around {@code x}, then clips to the range. */
    static void projectL2(float[] x, float[] adv, float eps, int from, int count, int d, InputRange range) {
        float lo = range.lower();
        float hi = range.upper();
        for (int r = from; r < from + count; r++) {
            int off = r * d;
            double norm = 0;
            for (int i = off; i < off + d; i++) {
                double delta = adv[i] - x[i];
                norm += delta * delta;
            }
            norm = Math.sqrt(norm);
            float scale = norm > eps ? (float) (eps / norm) : 1f;
            for (int i = off; i < off + d; i++) {
                adv[i] = Math.min(Math.max(x[i] + scale * (adv[i] - x[i]), lo), hi);
            }
        }
    }
}
