package io.robustunit.junit;

/** How a baseline comparison treats sampling noise. */
enum BaselineMode {
    /** Regression when the measured accuracy is below the baseline by more than the tolerance. */
    POINT_ESTIMATE,
    /** Regression only when even the upper bound of the 95% Wilson interval is. */
    WILSON
}
