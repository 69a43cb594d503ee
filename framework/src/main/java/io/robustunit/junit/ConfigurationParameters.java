package io.robustunit.junit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Enumeration;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * RobustUnit's configuration parameters ({@code junit-platform.properties} or {@code -D}), read strictly: a value
 * that is present is used or is a configuration error, and a {@code robustunit.*} key that no setting has is an
 * error too, so that a typo can never switch a gate off.
 */
final class ConfigurationParameters {

    static final String PREFIX = "robustunit.";

    private final ExtensionContext context;

    ConfigurationParameters(ExtensionContext context) {
        this.context = context;
    }

    /** @return the raw value, blank values included */
    Optional<String> get(String key) {
        return context.getConfigurationParameter(key);
    }

    /**
     * @param value the resolved setting of a parameter that is present
     * @throws ExtensionConfigurationException naming the key, the value and what is allowed if it is invalid
     */
    <T> Optional<T> parse(Setting<T> setting, io.robustunit.attack.Norm norm) {
        Optional<String> raw = get(setting.key);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(setting.parse(raw.get(), norm));
        } catch (IllegalArgumentException e) {
            throw ConfigurationErrors.parameter(setting.key, setting.expected(norm), raw.get());
        }
    }

    /**
     * @throws ExtensionConfigurationException if a system property or {@code junit-platform.properties} names a
     *         {@code robustunit.*} key that is not a setting
     */
    static void checkKeys(Set<String> known) {
        Set<String> unknown = new TreeSet<>();
        Stream.concat(System.getProperties().stringPropertyNames().stream(), propertiesFileKeys().stream())
                .filter(k -> k.startsWith(PREFIX) && !known.contains(k)).forEach(unknown::add);
        if (!unknown.isEmpty()) {
            throw new ExtensionConfigurationException("Configuration error: unknown configuration parameter "
                    + String.join(", ", unknown) + "; RobustUnit's parameters are " + new TreeSet<>(known));
        }
    }

    private static Set<String> propertiesFileKeys() {
        Set<String> keys = new TreeSet<>();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            return keys;
        }
        try {
            Enumeration<URL> files = loader.getResources("junit-platform.properties");
            while (files.hasMoreElements()) {
                Properties properties = new Properties();
                try (InputStream in = files.nextElement().openStream()) {
                    properties.load(in);
                }
                keys.addAll(properties.stringPropertyNames());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read junit-platform.properties", e);
        }
        return keys;
    }
}
