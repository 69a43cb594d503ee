package io.robustunit.example.mnist.robustness;

// tag::composed[]
import static io.robustunit.junit.AttackKind.FGSM;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.robustunit.junit.AdversarialTest;

/** The team's standard FGSM check: small perturbations must leave most digits readable. */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@AdversarialTest(epsilon = {0.02, 0.05}, attack = FGSM, minAdversarialAccuracy = 0.55, samples = 2000)
public @interface MnistFgsmTest {
}
// end::composed[]
