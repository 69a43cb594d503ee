package io.robustunit.junit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.apiguardian.api.API;

/**
 * Runs an attack of your own in an {@link AdversarialTest}, as {@code @ArgumentsSource} plugs arguments into a
 * parameterized test: one invocation per ε, with gates, reports and baselines like the built-in attacks'.
 * <pre>{@code
 * @AdversarialTest(epsilon = {0.05, 0.1}, minAdversarialAccuracy = 0.5)
 * @AttackSource(MyAttacks.class)
 * void resistsMyAttack(EvaluationResult result) { ... }
 * }</pre>
 * Without {@link AdversarialTest#attack()} set anywhere, only the declared sources run; with it, both do. The
 * attack's {@code parameters()} identify it in reports and baseline keys, so they must name every setting that
 * changes its result.
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Repeatable(AttackSources.class)
@API(status = EXPERIMENTAL, since = "0.1")
public @interface AttackSource {

    /** @return the provider, a class with a no-argument constructor */
    Class<? extends AttackProvider> value();
}
