package io.robustunit.attack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.robustunit.data.InputRange;

/**
 * The sign step and the L∞ projection clip through integer bits where the input range is non-negative; they must
 * give, bit for bit, what the plain float formulas {@code min(max(x + ε·sign(g), lo), hi)} and
 * {@code clip(clip(v, c − ε, c + ε), lo, hi)} give, on edge values and on random ones.
 */
class StepsTest {

    private static final float[] EDGES = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-30f, 0.1f, 0.2f, 0.5f, 0.8f,
        0.9f, 0.99999994f, 1f, 1.0000001f, -0.1f, 2f};

    private static float signReference(float x, float g, float step, float lo, float hi) {
        float delta = g == 0f ? 0f : (g > 0 ? step : -step);
        return Math.min(Math.max(x + delta, lo), hi);
    }

    private static void signMatches(InputRange range, float step) {
        SplittableRandom random = new SplittableRandom(7);
        int n = 4000;
        float[] x = new float[n];
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
            float v = i < EDGES.length * EDGES.length ? EDGES[i % EDGES.length] : (float) random.nextDouble(-0.2, 1.2);
            x[i] = Math.min(Math.max(v, range.lower()), range.upper());
            int k = i / EDGES.length % EDGES.length;
            g[i] = i < EDGES.length * EDGES.length ? EDGES[k] * (k % 2 == 0 ? 1 : -1)
                    : random.nextInt(5) == 0 ? 0f : (float) random.nextDouble(-1, 1);
        }
        float[] out = new float[n];
        Steps.sign(step, range).apply(x, 0, g, 0, out, n);
        for (int i = 0; i < n; i++) {
            float expected = signReference(x[i], g[i], step, range.lower(), range.upper());
            assertThat(Float.floatToRawIntBits(out[i])).as("x %s, g %s", x[i], g[i])
                    .isEqualTo(Float.floatToRawIntBits(expected));
        }
    }

    @Test
    void theSignStepClipsExactlyAsFloats() {
        signMatches(InputRange.UNIT, 0.1f);
        signMatches(InputRange.UNIT, -0.3f);
        signMatches(InputRange.of(0.2, 0.8), 0.05f);
        signMatches(InputRange.of(-1, 1), 0.1f);
    }

    @Test
    void theLinfProjectionClipsExactlyAsFloats() {
        SplittableRandom random = new SplittableRandom(3);
        // the non-negative ranges, which take the integer path (others run the float formula itself)
        for (InputRange range : new InputRange[] {InputRange.UNIT, InputRange.of(0.1, 0.9), InputRange.of(0, 255)}) {
            int n = 4000;
            float[] clean = new float[n];
            float[] adv = new float[n];
            float eps = 0.15f;
            for (int i = 0; i < n; i++) {
                clean[i] = i < EDGES.length ? Math.min(Math.max(EDGES[i], range.lower()), range.upper())
                        : (float) random.nextDouble(range.lower(), range.upper());
                adv[i] = i % 7 == 0 ? -0f : clean[i] + (float) random.nextDouble(-0.4, 0.4);
            }
            float[] expected = new float[n];
            for (int i = 0; i < n; i++) {
                float v = Math.min(Math.max(adv[i], clean[i] - eps), clean[i] + eps);
                expected[i] = Math.min(Math.max(v, range.lower()), range.upper());
            }
            Steps.projectLinf(clean, adv, eps, 0, n, range);
            for (int i = 0; i < n; i++) {
                assertThat(Float.floatToRawIntBits(adv[i])).as("%s: clean %s", range, clean[i])
                        .isEqualTo(Float.floatToRawIntBits(expected[i]));
            }
        }
    }
}
