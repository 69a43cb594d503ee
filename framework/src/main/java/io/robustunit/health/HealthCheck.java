package io.robustunit.health;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;

import org.apiguardian.api.API;

/**
 * The outcome of one evaluation-health check. {@link EvaluationHealth} lists every check in a fixed order.
 *
 * @param name what the check asks, e.g. {@code one step is not masked}
 * @param status whether it passed
 * @param detail the numbers it compared, and on a warning what the warning means
 */
@API(status = EXPERIMENTAL, since = "0.2")
public record HealthCheck(String name, Status status, String detail) {

    /** Whether a check passed. */
    @API(status = EXPERIMENTAL, since = "0.2")
    public enum Status {
        /** The evaluation shows none of the symptom the check looks for. */
        PASSED,
        /** The evaluation shows the symptom: its numbers may overstate the model's robustness. */
        WARNING,
        /** The check does not apply to this attack, e.g. comparing a black box with itself. */
        NOT_APPLICABLE
    }

    /** @throws NullPointerException if an argument is null */
    public HealthCheck {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
    }

    /** @return whether the check warns */
    public boolean warns() {
        return status == Status.WARNING;
    }

    @Override
    public String toString() {
        return name + ": " + status + " (" + detail + ")";
    }
}
