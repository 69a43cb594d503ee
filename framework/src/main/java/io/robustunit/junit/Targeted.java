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
 * Makes the built-in attacks of an {@link AdversarialTest} targeted: each example is pushed towards a target class
 * instead of away from its own.
 * <pre>{@code
 * @AdversarialTest(epsilon = 0.1)
 * @Targeted(TargetChoice.LEAST_LIKELY)
 * }</pre>
 */
@Target({ElementType.METHOD, ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@API(status = STABLE, since = "0.1")
public @interface Targeted {

    /** @return how targets are chosen */
    TargetChoice value();

    /** @return the class for {@link TargetChoice#FIXED_CLASS}, which must set it; not set otherwise */
    int targetClass() default AdversarialTest.NOT_SET_INT;
}
