package io.robustunit.junit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * What a failed evaluation-health check does to an {@link AdversarialTest} invocation. The checks themselves always
 * run and are always reported; see {@code io.robustunit.health.EvaluationHealth}.
 */
@API(status = EXPERIMENTAL, since = "0.2")
public enum HealthMode {
    /** Not set here; the next layer decides (class defaults, configuration, then {@link #WARN}). */
    DEFAULT,
    /** A failed check is listed as a warning in the test's report entries, the failure message and the reports. */
    WARN,
    /** A failed check also fails the invocation, even where every threshold is met. */
    FAIL
}
