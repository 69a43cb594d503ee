package io.robustunit.junit;

import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

import io.robustunit.attack.Norm;

/**
 * One setting, described once: the attribute that sets it on {@link AdversarialTest} and {@link AdversarialDefaults}
 * (none for run-wide settings), its configuration parameter, how the parameter's text becomes a value, the rule
 * every value must meet and the built-in default. {@link SettingsResolver} applies the layers; the configuration
 * page of the docs is checked against these descriptions.
 *
 * @param <T> the value's type
 */
final class Setting<T> {

    /** Reads an attribute; {@code null} when it is at its "not set" default. */
    @FunctionalInterface
    interface Reader<A, T> {
        T read(A annotation);
    }

    /** A value that breaks a rule, e.g. rule {@code declare samples >= 0} and value {@code -5}. */
    record Violation(String rule, Object value) {
    }

    /** Thrown by a {@link Reader} whose attribute holds a value no rule can accept, such as two norms. */
    static final class InvalidAttribute extends RuntimeException {
        private static final long serialVersionUID = 1L;

        final transient Violation violation;

        InvalidAttribute(String rule, Object value) {
            super(rule, null, false, false);
            this.violation = new Violation(rule, value);
        }
    }

    final String attribute;
    final String key;
    final String allowed;
    final String builtInText;
    final T builtIn;
    private final Reader<AdversarialTest, T> onTest;
    private final Reader<AdversarialDefaults, T> onDefaults;
    private final Function<String, T> parser;
    private final BiFunction<T, Norm, Violation> check;
    private final Function<Norm, String> expected;

    /**
     * @param allowed the rule as the docs show it
     * @param builtInText the built-in default as the docs show it; {@code builtIn} is {@code null} where there is none
     * @param check the rule, given the test's norm: the violation, or {@code null}
     * @param expected what a configuration value must be, given the norm, e.g. {@code a number in [0, 1]}
     */
    Setting(String attribute, String key, String allowed, String builtInText, T builtIn,
            Reader<AdversarialTest, T> onTest, Reader<AdversarialDefaults, T> onDefaults, Function<String, T> parser,
            BiFunction<T, Norm, Violation> check, Function<Norm, String> expected) {
        this.attribute = attribute;
        this.key = key;
        this.allowed = allowed;
        this.builtInText = builtInText;
        this.builtIn = builtIn;
        this.onTest = onTest;
        this.onDefaults = onDefaults;
        this.parser = parser;
        this.check = check;
        this.expected = expected;
    }

    /** @return a run-wide setting: a configuration parameter only */
    static <T> Setting<T> runWide(String key, String allowed, String builtInText, T builtIn, Function<String, T> parser,
                                  Function<T, String> rule, String expected) {
        return new Setting<>(null, key, allowed, builtInText, builtIn, t -> null, d -> null, parser,
                (value, norm) -> rule.apply(value) == null ? null : new Violation(rule.apply(value), value),
                norm -> expected);
    }

    /** @return whether the setting has an annotation attribute, or is run-wide */
    boolean isPerTest() {
        return attribute != null;
    }

    Optional<T> onTest(AdversarialTest test) {
        return Optional.ofNullable(onTest.read(test));
    }

    Optional<T> onDefaults(AdversarialDefaults defaults) {
        return Optional.ofNullable(onDefaults.read(defaults));
    }

    Violation check(T value, Norm norm) {
        return check.apply(value, norm);
    }

    /** @return what a configuration value must be, e.g. {@code a number in [0, 1]} */
    String expected(Norm norm) {
        return expected.apply(norm);
    }

    /**
     * @throws IllegalArgumentException if the text is not of the setting's kind or breaks its rule
     */
    T parse(String text, Norm norm) {
        if (text.isBlank()) {
            throw new IllegalArgumentException(expected(norm));
        }
        T value;
        try {
            value = parser.apply(text.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(expected(norm), e);
        }
        if (check(value, norm) != null) {
            throw new IllegalArgumentException(expected(norm));
        }
        return value;
    }
}
