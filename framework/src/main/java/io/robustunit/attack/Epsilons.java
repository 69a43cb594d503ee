package io.robustunit.attack;

import java.math.BigDecimal;

/** Formatting and validation of perturbation budgets. */
final class Epsilons {

    private Epsilons() {
    }

    /**
     * @param epsilon a budget
     * @return its shortest decimal form, e.g. {@code 0.05} or {@code 0.1}
     */
    static String format(double epsilon) {
        if (!Double.isFinite(epsilon)) {
            return String.valueOf(epsilon);
        }
        return BigDecimal.valueOf(epsilon).stripTrailingZeros().toPlainString();
    }

    /** {@code NAME ε=E}, with {@code (L2, targeted: RULE)} as they apply. */
    static String displayName(String name, double epsilon, Norm norm, TargetRule target) {
        StringBuilder details = new StringBuilder();
        if (norm == Norm.L2) {
            details.append("L2");
        }
        if (target != null) {
            details.append(details.length() > 0 ? ", " : "").append("targeted: ").append(target.description());
        }
        return name + " ε=" + format(epsilon) + (details.length() > 0 ? " (" + details + ")" : "");
    }

    static void checkLinf(String attack, double epsilon, io.robustunit.data.InputRange range) {
        if (!Double.isFinite(epsilon) || epsilon <= 0 || epsilon > range.width()) {
            throw new IllegalArgumentException(attack + " epsilon must be finite and in (0, " + range.width()
                    + "] (the width of the input range " + range + ") but was " + epsilon);
        }
    }

    static void checkPositive(String attack, String what, double value) {
        if (!Double.isFinite(value) || value <= 0) {
            throw new IllegalArgumentException(attack + " " + what + " must be finite and > 0 but was " + value);
        }
    }
}
