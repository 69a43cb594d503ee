package io.robustunit.junit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

import io.robustunit.attack.Attack;

/**
 * Makes the attack an {@link AttackSource} runs, once per ε of the test. Implementations have a no-argument
 * constructor and are stateless.
 * <pre>{@code
 * public class MyAttacks implements AttackProvider {
 *     public Attack create(AttackContext context) {
 *         return new MyAttack(context.epsilon(), context.range());
 *     }
 * }
 * }</pre>
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface AttackProvider {

    /** @return the attack's name in display names ({@code {attack}}); by default the class's simple name */
    default String name() {
        return getClass().getSimpleName();
    }

    /**
     * @param context the budget, norm, input range and seed of the invocation
     * @return an attack with exactly that ε, norm and range
     */
    Attack create(AttackContext context);
}
