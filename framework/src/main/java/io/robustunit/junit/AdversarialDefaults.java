package io.robustunit.junit;

import static org.apiguardian.api.API.Status.STABLE;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.apiguardian.api.API;

import io.robustunit.attack.Norm;

/**
 * Class-level defaults for every {@link AdversarialTest} in the class and its nested classes. An attribute set on
 * the method wins; one left unset here falls through to the configuration parameter and then the built-in default.
 * The nearest enclosing class's annotation applies.
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@API(status = STABLE, since = "0.1")
public @interface AdversarialDefaults {

    /** @return see {@link AdversarialTest#epsilon()} */
    double[] epsilon() default {};

    /** @return see {@link AdversarialTest#attack()} */
    AttackKind[] attack() default {};

    /** @return see {@link AdversarialTest#norm()} */
    Norm[] norm() default {};

    /** @return see {@link AdversarialTest#maxAccuracyDrop()} */
    double maxAccuracyDrop() default AdversarialTest.NOT_SET;

    /** @return see {@link AdversarialTest#minAdversarialAccuracy()} */
    double minAdversarialAccuracy() default AdversarialTest.NOT_SET;

    /** @return see {@link AdversarialTest#samples()} */
    int samples() default AdversarialTest.NOT_SET_INT;

    /** @return see {@link AdversarialTest#seed()} */
    long seed() default AdversarialTest.NOT_SET_SEED;

    /** @return see {@link AdversarialTest#batchSize()} */
    int batchSize() default AdversarialTest.NOT_SET_INT;

    /** @return see {@link AdversarialTest#gateMode()} */
    GateMode gateMode() default GateMode.DEFAULT;

    /** @return see {@link AdversarialTest#evaluationHealth()} */
    HealthMode evaluationHealth() default HealthMode.DEFAULT;

    /** @return see {@link AdversarialTest#name()} */
    String name() default "";
}
