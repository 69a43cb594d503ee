package io.robustunit.junit;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** How a {@link Targeted} attack picks the class each example is pushed into. */
@API(status = STABLE, since = "0.1")
public enum TargetChoice {
    /** Class {@code (y + 1) mod classes}: a 7 is pushed towards 8, a 9 towards 0. */
    NEXT_CLASS,
    /** The class the model finds least likely for the clean example: the hardest target. */
    LEAST_LIKELY,
    /** The class given by {@link Targeted#targetClass()}, for every example. */
    FIXED_CLASS
}
