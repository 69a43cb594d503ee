package io.robustunit.junit;

import java.lang.reflect.Method;

import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** Builds the messages of configuration errors: the annotation or parameter, where it is, the rule and the value. */
final class ConfigurationErrors {

    private ConfigurationErrors() {
    }

    static String where(Method method) {
        return method.getDeclaringClass().getSimpleName() + "." + method.getName() + "()";
    }

    static ExtensionConfigurationException invalid(String annotation, String where, String rule, Object value) {
        return new ExtensionConfigurationException("Configuration error: @" + annotation + " on [" + where + "] must "
                + rule + " but was [" + value + "]");
    }

    static ExtensionConfigurationException of(String annotation, String where, String problem) {
        return new ExtensionConfigurationException("Configuration error: @" + annotation + " on [" + where + "] "
                + problem);
    }

    static ExtensionConfigurationException parameter(String key, String expected, String value) {
        return new ExtensionConfigurationException("Configuration error: configuration parameter " + key + " must be "
                + expected + " but was [" + value + "]");
    }
}
