package io.robustunit.junit;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.ExtensionContext;

import io.robustunit.attack.Norm;

/**
 * The run-wide settings: where reports and hardened models go, and how the baseline is used. Resolved once per run
 * from the configuration parameters, strictly, after checking that every {@code robustunit.*} key is known.
 */
record RunSettings(Path reportsDirectory, Path baselineFile, boolean updateBaseline, double tolerance,
                   BaselineMode baselineMode, boolean baselineRequired, Path hardenedDirectory) {

    static RunSettings resolve(ExtensionContext context) {
        Set<String> known = new HashSet<>();
        Stream.concat(Settings.PER_TEST.stream(), Settings.RUN_WIDE.stream()).forEach(s -> known.add(s.key));
        ConfigurationParameters.checkKeys(known);
        ConfigurationParameters parameters = new ConfigurationParameters(context);
        return new RunSettings(value(parameters, Settings.REPORTS_DIRECTORY), value(parameters, Settings.BASELINE_FILE),
                value(parameters, Settings.BASELINE_UPDATE), value(parameters, Settings.BASELINE_TOLERANCE),
                value(parameters, Settings.BASELINE_MODE), value(parameters, Settings.BASELINE_REQUIRED),
                value(parameters, Settings.HARDENED_DIRECTORY));
    }

    private static <T> T value(ConfigurationParameters parameters, Setting<T> setting) {
        return parameters.parse(setting, Norm.LINF).orElse(setting.builtIn);
    }
}
