package io.robustunit.junit;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** What a robustness gate compares with its thresholds. */
@API(status = STABLE, since = "0.1")
public enum GateMode {
    /** Not set here; the next layer decides (class defaults, configuration, then {@link #POINT_ESTIMATE}). */
    DEFAULT,
    /** The measured adversarial accuracy. */
    POINT_ESTIMATE,
    /**
     * The lower bound of its 95% Wilson interval: the test passes only when the data show, with 95% confidence,
     * that the model meets the thresholds. Strict; use with many samples.
     */
    WILSON_LOWER_BOUND,
    /**
     * The upper bound of its 95% Wilson interval: the test fails only when the data show, with 95% confidence,
     * that the model misses the thresholds. Lenient; keeps small-sample gates from flaking.
     */
    WILSON_UPPER_BOUND
}
