package io.robustunit.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * What the baseline comparison made of one invocation.
 *
 * @param verdict one of {@link #VERDICTS}
 * @param baselineAccuracy the recorded adversarial accuracy, or {@code NaN} where there is none
 * @param modelChanged whether the recorded entry was measured on other model parameters
 */
@API(status = INTERNAL, since = "0.1")
public record BaselineVerdict(String verdict, double baselineAccuracy, boolean modelChanged) {

    /** Within the tolerance of the recorded accuracy, not above it. */
    public static final String WITHIN_TOLERANCE = "within tolerance";
    /** Above the recorded accuracy. */
    public static final String IMPROVED = "improved";
    /** Below the recorded accuracy by more than the tolerance: the invocation failed. */
    public static final String REGRESSED = "regressed";
    /** The baseline has no entry for the invocation's key. */
    public static final String MISSING = "missing";
    /** Recorded into the baseline, in update mode. */
    public static final String RECORDED = "recorded";
    /** There is no baseline file. */
    public static final String NO_BASELINE = "no baseline";
    /** Not compared, because the invocation's own gate or body failed first. */
    public static final String NOT_COMPARED = "not compared";

    /** Every verdict, as the JSON schema lists them. */
    public static final java.util.List<String> VERDICTS = java.util.List.of(WITHIN_TOLERANCE, IMPROVED, REGRESSED,
            MISSING, RECORDED, NO_BASELINE, NOT_COMPARED);

    /**
     * @param verdict a verdict without a recorded accuracy
     * @return it
     */
    public static BaselineVerdict of(String verdict) {
        return new BaselineVerdict(verdict, Double.NaN, false);
    }
}
