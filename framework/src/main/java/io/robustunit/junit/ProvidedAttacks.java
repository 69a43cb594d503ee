package io.robustunit.junit;

import org.junit.platform.commons.support.ReflectionSupport;

import io.robustunit.attack.Attack;

/** Instantiates {@link AttackProvider}s and checks that what they make fits the invocation. */
final class ProvidedAttacks {

    private ProvidedAttacks() {
    }

    /**
     * @throws org.junit.jupiter.api.extension.ExtensionConfigurationException naming the provider if it cannot be
     *         instantiated
     */
    static AttackProvider instantiate(Class<? extends AttackProvider> type, String where) {
        try {
            return ReflectionSupport.newInstance(type);
        } catch (RuntimeException e) {
            throw ConfigurationErrors.of("AttackSource", where, "cannot create " + type.getName()
                    + ": an AttackProvider needs a public no-argument constructor (" + e + ")");
        }
    }

    /**
     * @throws IllegalArgumentException naming the provider if its attack has another ε, norm or range than asked
     */
    static Attack create(InvocationSpec.Provided plan, AttackContext context) {
        Attack attack = ReflectionSupport.newInstance(plan.type()).create(context);
        if (attack == null) {
            throw new IllegalArgumentException(plan.type().getName() + " returned no attack");
        }
        if (attack.epsilon() != context.epsilon() || attack.norm() != context.norm()
                || !attack.range().equals(context.range())) {
            throw new IllegalArgumentException(plan.type().getName() + " made an attack with ε=" + attack.epsilon()
                    + ", norm " + attack.norm() + " and range " + attack.range() + " for ε=" + context.epsilon()
                    + ", norm " + context.norm() + " and range " + context.range()
                    + "; an AttackProvider must use the context's values");
        }
        return attack;
    }
}
