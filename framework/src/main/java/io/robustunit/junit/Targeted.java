package io.robustunit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

/**
 * Makes the attacks of an {@link AdversarialTest} targeted: each example is pushed towards a target class
 * instead of away from its own.
 * <pre>{@code
 * @AdversarialTest(epsilon = 0.1)
 * @Targeted(Target.LEAST_LIKELY)
 * }</pre>
 */
@java.lang.annotation.Target({ElementType.METHOD, ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface Targeted {

    /** @return how targets are chosen */
    Target value();

    /** @return the class for {@link Target#FIXED_CLASS}; must be set exactly then */
    int targetClass() default AdversarialTest.NOT_SET_INT;
}
