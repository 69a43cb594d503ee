package io.robustunit.attack;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** The norm that measures a perturbation's size and shapes each gradient step. */
@API(status = STABLE, since = "0.1")
public enum Norm {
    /** Every feature moves by at most ε; a step is {@code ε·sign(g)}. */
    LINF("L∞"),
    /** The Euclidean length of the perturbation is at most ε; a step is {@code ε·g/‖g‖₂}. */
    L2("L2");

    private final String symbol;

    Norm(String symbol) {
        this.symbol = symbol;
    }

    /** @return {@code L∞} or {@code L2} */
    public String symbol() {
        return symbol;
    }
}
