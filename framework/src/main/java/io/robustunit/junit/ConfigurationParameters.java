package io.robustunit.junit;

import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;

import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Reads RobustUnit's configuration parameters ({@code junit-platform.properties} or {@code -D}). An invalid
 * value is not an error: it is logged as a warning and the built-in default applies.
 */
final class ConfigurationParameters {

    private static final Logger LOG = Logger.getLogger(AdversarialTestExtension.class.getName());

    private final ExtensionContext context;

    ConfigurationParameters(ExtensionContext context) {
        this.context = context;
    }

    /**
     * @param key the parameter
     * @param parser turns the text into a value, throwing {@link IllegalArgumentException} naming the rule
     * @param fallback the built-in default, described in the warning
     */
    <T> Optional<T> get(String key, Function<String, T> parser, String fallback) {
        Optional<String> raw = context.getConfigurationParameter(key).map(String::trim).filter(s -> !s.isEmpty());
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(parser.apply(raw.get()));
        } catch (RuntimeException e) {
            LOG.warning(() -> "RobustUnit: ignoring configuration parameter " + key + "=" + raw.get() + ": "
                    + e.getMessage() + "; using " + fallback);
            return Optional.empty();
        }
    }

    static double fraction(String text) {
        double v;
        try {
            v = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a number in [0, 1]", e);
        }
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException("must be in [0, 1]");
        }
        return v;
    }

    static int atLeast(String text, int min) {
        int v;
        try {
            v = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be an integer >= " + min, e);
        }
        if (v < min) {
            throw new IllegalArgumentException("must be an integer >= " + min);
        }
        return v;
    }
}
