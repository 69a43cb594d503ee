package io.robustunit.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.robustunit.data.InputRange;
import io.robustunit.model.DifferentiableClassifier;
import io.robustunit.model.dl4j.Dl4jClassifiers;

/**
 * The input range check works on the floats' bits where the range is non-negative, and splits large inputs over the
 * common pool: whatever the path, it must reject exactly the values that {@code lo <= v && v <= hi} rejects, and
 * name the first of them.
 */
class AttackInputsTest {

    private static final DifferentiableClassifier MODEL = Dl4jClassifiers.of(new LinearModel(3, 1).network);
    private static final int D = LinearModel.D;

    private static float[] values() {
        float[] edges = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 1e-30f, -1e-30f, 0.25f,
            Math.nextDown(0.25f), Math.nextUp(0.25f), 0.5f, -0.5f, 0.75f, Math.nextUp(0.75f), 1f, Math.nextUp(1f),
            Math.nextDown(1f), -1f, 2f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, Float.NaN, Float.intBitsToFloat(0xffc00000), Float.intBitsToFloat(0x7f800001),
            Float.intBitsToFloat(0xffffffff)};
        SplittableRandom random = new SplittableRandom(3);
        float[] out = Arrays.copyOf(edges, edges.length + 40);
        for (int i = edges.length; i < out.length; i++) {
            out[i] = Float.intBitsToFloat(random.nextInt());
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource({"0, 1, 3, 2", "0.25, 0.75, 3, 1", "-1, 1, 3, 2", "0, 1, 20000, 19999", "0.25, 0.75, 20000, 19999",
        "0, 1, 20000, 1", "0.25, 0.75, 20000, 2"})
    void rejectsExactlyWhatTheComparisonRejects(float lo, float hi, int rows, int badRow) {
        InputRange range = InputRange.of(lo, hi);
        float[] x = new float[rows * D];
        Arrays.fill(x, (lo + hi) / 2);
        int[] y = new int[rows];
        float[] out = new float[x.length];
        // rows [1, rows) are checked; the bad value sits in the first or the last of the parts a large check is split in
        int at = badRow * D + D / 2 - 1;
        // row 0 is outside the rows checked: what it holds does not matter
        x[3] = Float.NaN;
        for (float v : values()) {
            x[at] = v;
            if (lo <= v && v <= hi) {
                assertThatCode(() -> AttackInputs.check("FGSM", MODEL, x, y, 1, rows - 1, out, range))
                        .as("%s (bits %08x) in %s", v, Float.floatToRawIntBits(v), range).doesNotThrowAnyException();
            } else {
                assertThatThrownBy(() -> AttackInputs.check("FGSM", MODEL, x, y, 1, rows - 1, out, range))
                        .as("%s (bits %08x) in %s", v, Float.floatToRawIntBits(v), range)
                        .hasMessage("FGSM: feature " + at % D + " of example " + at / D + " is " + v
                                + "; inputs must be finite and within the input range " + range);
            }
        }
        assertThat(out).containsOnly(0f);
    }
}
