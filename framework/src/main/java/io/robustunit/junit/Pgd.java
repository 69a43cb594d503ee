package io.robustunit.junit;

import static org.apiguardian.api.API.Status.STABLE;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.apiguardian.api.API;

/**
 * Settings of the PGD invocations of an {@link AdversarialTest}, on the method or the class:
 * <pre>{@code
 * @AdversarialTest(epsilon = 0.1, attack = PGD)
 * @Pgd(steps = 40, randomStart = true)
 * }</pre>
 * Declaring it where no PGD attack runs is a configuration error.
 */
@Target({ElementType.METHOD, ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@API(status = STABLE, since = "0.1")
public @interface Pgd {

    /** @return the number of steps, at least 1 */
    int steps() default 20;

    /** @return the size of each step, finite and positive; by default {@code 2.5·ε/steps} */
    double stepSize() default AdversarialTest.NOT_SET;

    /** @return whether to start from a random point of the ε-ball, seeded by the test's seed */
    boolean randomStart() default false;
}
