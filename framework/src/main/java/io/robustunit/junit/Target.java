package io.robustunit.junit;

/** How a {@link Targeted} attack picks the class each example is pushed into. */
public enum Target {
    /** Class {@code (y + 1) mod classes}. */
    NEXT_CLASS,
    /** The class the model finds least likely for the example. */
    LEAST_LIKELY,
    /** The class given by {@link Targeted#targetClass()}. */
    FIXED_CLASS
}
