package io.robustunit.junit;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import io.robustunit.attack.Norm;

/**
 * Every setting of RobustUnit's JUnit extension, each described once. The first group are the per-test settings
 * of {@link AdversarialTest}, layered as its documentation says; the second are run-wide configuration parameters.
 */
final class Settings {

    static final Setting<Norm> NORM = new Setting<>("norm", AdversarialTest.NORM_PROPERTY, "`LINF`, `L2`", "`LINF`",
            Norm.LINF, t -> single(t.norm()), d -> single(d.norm()), text -> Norm.valueOf(upper(text)),
            (value, norm) -> null, norm -> "LINF or L2");

    static final Setting<double[]> EPSILON = new Setting<>("epsilon", AdversarialTest.EPSILON_PROPERTY,
            "`(0, 1]` for L∞, `> 0` for L2; each value once", "none: it must be set somewhere", null,
            t -> t.epsilon().length == 0 ? null : t.epsilon().clone(),
            d -> d.epsilon().length == 0 ? null : d.epsilon().clone(),
            text -> Arrays.stream(text.split(",")).map(String::trim).mapToDouble(Double::parseDouble).toArray(),
            Settings::checkEpsilons, norm -> "a comma-separated list of numbers " + epsilonRule(norm) + ", each once");

    static final Setting<List<AttackKind>> ATTACK = new Setting<>("attack", AdversarialTest.ATTACK_PROPERTY,
            names(AttackKind.values()) + "; each once", "`FGSM`, unless an `@AttackSource` is declared",
            List.of(AttackKind.FGSM),
            t -> t.attack().length == 0 ? null : List.of(t.attack()),
            d -> d.attack().length == 0 ? null : List.of(d.attack()),
            text -> Arrays.stream(text.split(",")).map(s -> AttackKind.valueOf(upper(s))).toList(),
            (value, norm) -> value.stream().distinct().count() == value.size() ? null
                    : new Setting.Violation("declare each attack once", value),
            norm -> "a comma-separated list of " + plain(AttackKind.values()) + ", each once");

    static final Setting<Double> MAX_ACCURACY_DROP = fraction("maxAccuracyDrop",
            AdversarialTest.MAX_ACCURACY_DROP_PROPERTY, AdversarialTest::maxAccuracyDrop,
            AdversarialDefaults::maxAccuracyDrop);

    static final Setting<Double> MIN_ADVERSARIAL_ACCURACY = fraction("minAdversarialAccuracy",
            AdversarialTest.MIN_ADVERSARIAL_ACCURACY_PROPERTY, AdversarialTest::minAdversarialAccuracy,
            AdversarialDefaults::minAdversarialAccuracy);

    static final Setting<Integer> SAMPLES = count("samples", AdversarialTest.SAMPLES_PROPERTY, 0, 1000,
            "`>= 0`; `0` means the whole dataset; fewer than the dataset means a stratified sample",
            AdversarialTest::samples, AdversarialDefaults::samples);

    static final Setting<Long> SEED = new Setting<>("seed", AdversarialTest.SEED_PROPERTY,
            "any long but `Long.MIN_VALUE`; seeds the sample and every random start", "`42`", 42L,
            t -> t.seed() == AdversarialTest.NOT_SET_SEED ? null : t.seed(),
            d -> d.seed() == AdversarialTest.NOT_SET_SEED ? null : d.seed(), Long::parseLong,
            (value, norm) -> value == AdversarialTest.NOT_SET_SEED
                    ? new Setting.Violation("declare a seed other than Long.MIN_VALUE", value) : null,
            norm -> "an integer (a Java long)");

    static final Setting<Integer> BATCH_SIZE = count("batchSize", AdversarialTest.BATCH_SIZE_PROPERTY, 1, 1000,
            "`>= 1`; does not change results", AdversarialTest::batchSize, AdversarialDefaults::batchSize);

    static final Setting<GateMode> GATE_MODE = new Setting<>("gateMode", AdversarialTest.GATE_MODE_PROPERTY,
            "`POINT_ESTIMATE`, `WILSON_LOWER_BOUND`, `WILSON_UPPER_BOUND`", "`POINT_ESTIMATE`",
            GateMode.POINT_ESTIMATE, t -> t.gateMode() == GateMode.DEFAULT ? null : t.gateMode(),
            d -> d.gateMode() == GateMode.DEFAULT ? null : d.gateMode(), text -> gateMode(upper(text)),
            (value, norm) -> null, norm -> "one of POINT_ESTIMATE, WILSON_LOWER_BOUND, WILSON_UPPER_BOUND");

    static final Setting<HealthMode> EVALUATION_HEALTH = new Setting<>("evaluationHealth",
            AdversarialTest.EVALUATION_HEALTH_PROPERTY,
            "`WARN`, `FAIL`: whether a failed evaluation-health check only warns or also fails the test", "`WARN`",
            HealthMode.WARN, t -> t.evaluationHealth() == HealthMode.DEFAULT ? null : t.evaluationHealth(),
            d -> d.evaluationHealth() == HealthMode.DEFAULT ? null : d.evaluationHealth(),
            text -> healthMode(upper(text)), (value, norm) -> null, norm -> "one of WARN, FAIL");

    static final Setting<String> NAME = new Setting<>("name", AdversarialTest.NAME_PROPERTY,
            "text with the placeholders " + String.join(", ", DisplayNames.PLACEHOLDERS.stream()
                    .map(p -> "`" + p + "`").toList()), "`" + AdversarialTest.DEFAULT_NAME + "`",
            AdversarialTest.DEFAULT_NAME, t -> t.name().isEmpty() ? null : t.name(),
            d -> d.name().isEmpty() ? null : d.name(), Function.identity(),
            (value, norm) -> DisplayNames.problem(value) == null ? null
                    : new Setting.Violation("declare a name " + DisplayNames.problem(value), value),
            norm -> "text with only the placeholders " + String.join(", ", DisplayNames.PLACEHOLDERS));

    static final Setting<Path> REPORTS_DIRECTORY = Setting.runWide(AdversarialTest.REPORTS_DIRECTORY_PROPERTY,
            "a directory", "`" + AdversarialTest.DEFAULT_REPORTS_DIRECTORY + "`",
            Path.of(AdversarialTest.DEFAULT_REPORTS_DIRECTORY), Path::of, path -> null, "a path");

    static final Setting<Path> BASELINE_FILE = Setting.runWide(AdversarialTest.BASELINE_FILE_PROPERTY,
            "a file", "`" + AdversarialTest.DEFAULT_BASELINE_FILE + "`", Path.of(AdversarialTest.DEFAULT_BASELINE_FILE),
            Path::of, path -> null, "a path");

    static final Setting<Boolean> BASELINE_UPDATE = Setting.runWide(AdversarialTest.BASELINE_UPDATE_PROPERTY,
            "`true`, `false`", "`false`", false, Settings::bool, value -> null, "true or false");

    static final Setting<Double> BASELINE_TOLERANCE = Setting.runWide(AdversarialTest.BASELINE_TOLERANCE_PROPERTY,
            "`[0, 1]`", "`0.01`", AdversarialTest.DEFAULT_BASELINE_TOLERANCE, Double::parseDouble,
            value -> value >= 0 && value <= 1 ? null : "be in [0, 1]", "a number in [0, 1]");

    static final Setting<BaselineMode> BASELINE_MODE = Setting.runWide(AdversarialTest.BASELINE_MODE_PROPERTY,
            "`POINT_ESTIMATE`, `WILSON`", "`POINT_ESTIMATE`", BaselineMode.POINT_ESTIMATE,
            text -> BaselineMode.valueOf(upper(text)), value -> null, "one of POINT_ESTIMATE, WILSON");

    static final Setting<Boolean> BASELINE_REQUIRED = Setting.runWide(AdversarialTest.BASELINE_REQUIRED_PROPERTY,
            "`true`, `false`", "`false`", false, Settings::bool, value -> null, "true or false");

    static final Setting<Path> HARDENED_DIRECTORY = Setting.runWide(HardenOnFailure.DIRECTORY_PROPERTY,
            "a directory", "`" + HardenOnFailure.DEFAULT_DIRECTORY + "`", Path.of(HardenOnFailure.DEFAULT_DIRECTORY),
            Path::of, path -> null, "a path");

    /** The per-test settings, in the order they are resolved: the norm first, as ε's rule depends on it. */
    static final List<Setting<?>> PER_TEST = List.of(NORM, EPSILON, ATTACK, MAX_ACCURACY_DROP, MIN_ADVERSARIAL_ACCURACY,
            SAMPLES, SEED, BATCH_SIZE, GATE_MODE, EVALUATION_HEALTH, NAME);

    /** The run-wide settings. */
    static final List<Setting<?>> RUN_WIDE = List.of(REPORTS_DIRECTORY, BASELINE_FILE, BASELINE_TOLERANCE,
            BASELINE_MODE, BASELINE_UPDATE, BASELINE_REQUIRED, HARDENED_DIRECTORY);

    private Settings() {
    }

    private static Setting<Double> fraction(String attribute, String key, Function<AdversarialTest, Double> onTest,
                                            Function<AdversarialDefaults, Double> onDefaults) {
        return new Setting<>(attribute, key, "`[0, 1]`", "no limit", null,
                t -> Double.isNaN(onTest.apply(t)) ? null : onTest.apply(t),
                d -> Double.isNaN(onDefaults.apply(d)) ? null : onDefaults.apply(d), Double::parseDouble,
                (value, norm) -> value >= 0 && value <= 1 ? null
                        : new Setting.Violation("declare " + attribute + " in [0, 1]", value),
                norm -> "a number in [0, 1]");
    }

    private static Setting<Integer> count(String attribute, String key, int min, int builtIn, String allowed,
                                          Function<AdversarialTest, Integer> onTest,
                                          Function<AdversarialDefaults, Integer> onDefaults) {
        return new Setting<>(attribute, key, allowed, "`" + builtIn + "`", builtIn,
                t -> onTest.apply(t) == AdversarialTest.NOT_SET_INT ? null : onTest.apply(t),
                d -> onDefaults.apply(d) == AdversarialTest.NOT_SET_INT ? null : onDefaults.apply(d),
                Integer::parseInt, (value, norm) -> value >= min ? null
                        : new Setting.Violation("declare " + attribute + " >= " + min, value),
                norm -> "an integer >= " + min);
    }

    private static Norm single(Norm[] norms) {
        if (norms.length > 1) {
            throw new Setting.InvalidAttribute("declare at most one norm", Arrays.toString(norms));
        }
        return norms.length == 0 ? null : norms[0];
    }

    private static Setting.Violation checkEpsilons(double[] values, Norm norm) {
        for (double v : values) {
            if (!(Double.isFinite(v) && v > 0 && (norm == Norm.L2 || v <= 1))) {
                return new Setting.Violation("declare epsilon " + epsilonRule(norm), format(v));
            }
        }
        if (Arrays.stream(values).distinct().count() != values.length) {
            return new Setting.Violation("declare each epsilon once", Arrays.toString(values));
        }
        return null;
    }

    static String epsilonRule(Norm norm) {
        return norm == Norm.L2 ? "in (0, ∞) for the L2 norm" : "in (0, 1]";
    }

    private static GateMode gateMode(String text) {
        GateMode mode = GateMode.valueOf(text);
        if (mode == GateMode.DEFAULT) {
            throw new IllegalArgumentException("DEFAULT is not a gate mode");
        }
        return mode;
    }

    private static HealthMode healthMode(String text) {
        HealthMode mode = HealthMode.valueOf(text);
        if (mode == HealthMode.DEFAULT) {
            throw new IllegalArgumentException("DEFAULT is not a health mode");
        }
        return mode;
    }

    private static boolean bool(String text) {
        if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("must be true or false");
        }
        return Boolean.parseBoolean(text);
    }

    private static String upper(String text) {
        return text.trim().toUpperCase(Locale.ROOT);
    }

    private static String names(Enum<?>[] values) {
        return String.join(", ", Arrays.stream(values).map(v -> "`" + v.name() + "`").toList());
    }

    private static String plain(Enum<?>[] values) {
        return String.join(", ", Arrays.stream(values).map(Enum::name).toList());
    }

    static String format(double value) {
        return Double.isFinite(value) ? BigDecimal.valueOf(value).stripTrailingZeros().toPlainString()
                : String.valueOf(value);
    }
}
