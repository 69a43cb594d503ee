package io.robustunit.junit;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

import io.robustunit.attack.Epsilons;
import io.robustunit.attack.Norm;

/**
 * Every setting of one {@link AdversarialTest} method, resolved in one place: the method's annotation, then
 * {@link AdversarialDefaults} on the class or the nearest enclosing class, then the configuration parameter,
 * then the built-in default. Annotation values are validated here, before any work.
 */
final class AdversarialSettings {

    /** Built-in defaults. */
    static final AttackKind DEFAULT_ATTACK = AttackKind.FGSM;
    static final int DEFAULT_SAMPLES = 1000;
    static final long DEFAULT_SEED = 42;
    static final int DEFAULT_BATCH_SIZE = 1000;

    private static final String TEST = "AdversarialTest";
    private static final String DEFAULTS = "AdversarialDefaults";

    final Method method;
    final double[] epsilons;
    final List<AttackKind> attacks;
    final Norm norm;
    final OptionalDouble maxAccuracyDrop;
    final OptionalDouble minAdversarialAccuracy;
    final int samples;
    final long seed;
    final int batchSize;
    final GateMode gateMode;
    final Pgd pgd;
    final Targeted targeted;
    final HardenOnFailure hardening;

    private AdversarialSettings(Builder b) {
        this.method = b.method;
        this.epsilons = b.epsilons;
        this.attacks = List.copyOf(b.attacks);
        this.norm = b.norm;
        this.maxAccuracyDrop = b.maxAccuracyDrop;
        this.minAdversarialAccuracy = b.minAdversarialAccuracy;
        this.samples = b.samples;
        this.seed = b.seed;
        this.batchSize = b.batchSize;
        this.gateMode = b.gateMode;
        this.pgd = b.pgd;
        this.targeted = b.targeted;
        this.hardening = b.hardening;
    }

    /** @return one specification per (attack, ε), attacks outermost, in declaration order */
    List<InvocationSpec> invocations() {
        List<InvocationSpec> out = new ArrayList<>();
        for (AttackKind kind : attacks) {
            for (double eps : epsilons) {
                out.add(new InvocationSpec(kind, eps, norm, samples, seed, pgd == null ? null : new InvocationSpec.PgdSpec(
                        pgd.steps(), pgd.stepSize(), pgd.randomStart()), targeted == null ? null
                        : new InvocationSpec.TargetSpec(targeted.value(), targeted.targetClass())));
            }
        }
        return out;
    }

    static AdversarialSettings resolve(ExtensionContext context) {
        Method method = context.getRequiredTestMethod();
        List<Class<?>> classes = new ArrayList<>();
        classes.add(context.getRequiredTestClass());
        List<Class<?>> enclosing = new ArrayList<>(context.getEnclosingTestClasses());
        java.util.Collections.reverse(enclosing);
        classes.addAll(enclosing);
        AdversarialTest test = AnnotationSupport.findAnnotation(method, AdversarialTest.class).orElseThrow();
        Optional<Located<AdversarialDefaults>> defaults = nearest(classes, AdversarialDefaults.class);
        return new Builder(method, test, defaults, new ConfigurationParameters(context),
                nearestOn(method, classes, Pgd.class), nearestOn(method, classes, Targeted.class),
                nearestOn(method, classes, HardenOnFailure.class)).build();
    }

    private record Located<A>(A annotation, String where) {
    }

    private static <A extends java.lang.annotation.Annotation> Optional<Located<A>> nearest(List<Class<?>> classes,
                                                                                              Class<A> type) {
        for (Class<?> c : classes) {
            Optional<A> found = AnnotationSupport.findAnnotation(c, type);
            if (found.isPresent()) {
                return Optional.of(new Located<>(found.get(), c.getSimpleName()));
            }
        }
        return Optional.empty();
    }

    private static <A extends java.lang.annotation.Annotation> Optional<Located<A>> nearestOn(
            AnnotatedElement method, List<Class<?>> classes, Class<A> type) {
        Optional<A> onMethod = AnnotationSupport.findAnnotation(method, type);
        if (onMethod.isPresent()) {
            return Optional.of(new Located<>(onMethod.get(), ConfigurationErrors.where((Method) method)));
        }
        return nearest(classes, type);
    }

    /** Resolves and validates each setting in turn. */
    private static final class Builder {

        private final Method method;
        private final String where;
        private final AdversarialTest test;
        private final Optional<Located<AdversarialDefaults>> defaults;
        private final ConfigurationParameters parameters;
        private final Optional<Located<Pgd>> pgdAnnotation;
        private final Optional<Located<Targeted>> targetedAnnotation;
        private final Optional<Located<HardenOnFailure>> hardeningAnnotation;

        private double[] epsilons;
        private List<AttackKind> attacks;
        private Norm norm;
        private OptionalDouble maxAccuracyDrop;
        private OptionalDouble minAdversarialAccuracy;
        private int samples;
        private long seed;
        private int batchSize;
        private GateMode gateMode;
        private Pgd pgd;
        private Targeted targeted;
        private HardenOnFailure hardening;

        Builder(Method method, AdversarialTest test, Optional<Located<AdversarialDefaults>> defaults,
                ConfigurationParameters parameters, Optional<Located<Pgd>> pgd, Optional<Located<Targeted>> targeted,
                Optional<Located<HardenOnFailure>> hardening) {
            this.method = method;
            this.where = ConfigurationErrors.where(method);
            this.test = test;
            this.defaults = defaults;
            this.parameters = parameters;
            this.pgdAnnotation = pgd;
            this.targetedAnnotation = targeted;
            this.hardeningAnnotation = hardening;
        }

        AdversarialSettings build() {
            norm = resolveNorm();
            epsilons = resolveEpsilons();
            attacks = resolveAttacks();
            maxAccuracyDrop = resolveFraction("maxAccuracyDrop", test.maxAccuracyDrop(),
                    defaults.map(d -> d.annotation().maxAccuracyDrop()), AdversarialTest.MAX_ACCURACY_DROP_PROPERTY);
            minAdversarialAccuracy = resolveFraction("minAdversarialAccuracy", test.minAdversarialAccuracy(),
                    defaults.map(d -> d.annotation().minAdversarialAccuracy()),
                    AdversarialTest.MIN_ADVERSARIAL_ACCURACY_PROPERTY);
            samples = resolveInt("samples", test.samples(), defaults.map(d -> d.annotation().samples()), 0,
                    AdversarialTest.SAMPLES_PROPERTY, DEFAULT_SAMPLES);
            batchSize = resolveInt("batchSize", test.batchSize(), defaults.map(d -> d.annotation().batchSize()), 1,
                    AdversarialTest.BATCH_SIZE_PROPERTY, DEFAULT_BATCH_SIZE);
            seed = resolveSeed();
            gateMode = resolveGateMode();
            pgd = resolvePgd();
            targeted = resolveTargeted();
            hardening = resolveHardening();
            return new AdversarialSettings(this);
        }

        private Norm resolveNorm() {
            Norm[] own = test.norm();
            if (own.length > 1) {
                throw ConfigurationErrors.invalid(TEST, where, "declare at most one norm", Arrays.toString(own));
            }
            if (own.length == 1) {
                return own[0];
            }
            if (defaults.isPresent() && defaults.get().annotation().norm().length > 0) {
                Norm[] d = defaults.get().annotation().norm();
                if (d.length > 1) {
                    throw ConfigurationErrors.invalid(DEFAULTS, defaults.get().where(), "declare at most one norm",
                            Arrays.toString(d));
                }
                return d[0];
            }
            return parameters.get(AdversarialTest.NORM_PROPERTY, text -> Norm.valueOf(text.toUpperCase(Locale.ROOT)),
                    "the default LINF").orElse(Norm.LINF);
        }

        private double[] resolveEpsilons() {
            if (test.epsilon().length > 0) {
                return checkEpsilons(TEST, where, test.epsilon());
            }
            if (defaults.isPresent() && defaults.get().annotation().epsilon().length > 0) {
                return checkEpsilons(DEFAULTS, defaults.get().where(), defaults.get().annotation().epsilon());
            }
            Optional<double[]> configured = parameters.get(AdversarialTest.EPSILON_PROPERTY, text -> {
                double[] values = Arrays.stream(text.split(",")).map(String::trim).mapToDouble(Double::parseDouble).toArray();
                for (double v : values) {
                    if (!validEpsilon(v)) {
                        throw new IllegalArgumentException("each value must be in " + epsilonRule());
                    }
                }
                return values;
            }, "no default epsilon");
            return configured.orElseThrow(() -> ConfigurationErrors.of(TEST, where,
                    "must declare epsilon, on the annotation, on @AdversarialDefaults or as configuration parameter "
                            + AdversarialTest.EPSILON_PROPERTY));
        }

        private double[] checkEpsilons(String annotation, String location, double[] values) {
            for (double v : values) {
                if (!validEpsilon(v)) {
                    throw ConfigurationErrors.invalid(annotation, location, "declare epsilon in " + epsilonRule(),
                            Epsilons.format(v));
                }
            }
            if (Arrays.stream(values).distinct().count() != values.length) {
                throw ConfigurationErrors.invalid(annotation, location, "declare each epsilon once",
                        Arrays.toString(values));
            }
            return values.clone();
        }

        private boolean validEpsilon(double v) {
            return Double.isFinite(v) && v > 0 && (norm == Norm.L2 || v <= 1);
        }

        private String epsilonRule() {
            return norm == Norm.L2 ? "(0, ∞) for the L2 norm" : "(0, 1]";
        }

        private List<AttackKind> resolveAttacks() {
            AttackKind[] own = test.attack();
            String annotation = TEST;
            String location = where;
            if (own.length == 0 && defaults.isPresent() && defaults.get().annotation().attack().length > 0) {
                own = defaults.get().annotation().attack();
                annotation = DEFAULTS;
                location = defaults.get().where();
            }
            if (own.length > 0) {
                if (Arrays.stream(own).distinct().count() != own.length) {
                    throw ConfigurationErrors.invalid(annotation, location, "declare each attack once",
                            Arrays.toString(own));
                }
                return List.of(own);
            }
            return parameters.get(AdversarialTest.ATTACK_PROPERTY, text -> Arrays.stream(text.split(","))
                    .map(s -> AttackKind.valueOf(s.trim().toUpperCase(Locale.ROOT))).distinct().toList(),
                    "the default FGSM").orElse(List.of(DEFAULT_ATTACK));
        }

        private OptionalDouble resolveFraction(String attribute, double own, Optional<Double> fromDefaults, String key) {
            if (own != AdversarialTest.NOT_SET) {
                return OptionalDouble.of(checkFraction(TEST, where, attribute, own));
            }
            if (fromDefaults.isPresent() && fromDefaults.get() != AdversarialTest.NOT_SET) {
                return OptionalDouble.of(checkFraction(DEFAULTS, defaults.get().where(), attribute, fromDefaults.get()));
            }
            return parameters.get(key, ConfigurationParameters::fraction, "no " + attribute + " threshold")
                    .map(OptionalDouble::of).orElse(OptionalDouble.empty());
        }

        private static double checkFraction(String annotation, String location, String attribute, double value) {
            if (!(value >= 0 && value <= 1)) {
                throw ConfigurationErrors.invalid(annotation, location, "declare " + attribute + " in [0, 1]", value);
            }
            return value;
        }

        private int resolveInt(String attribute, int own, Optional<Integer> fromDefaults, int min, String key,
                               int builtIn) {
            if (own != AdversarialTest.NOT_SET_INT) {
                return checkInt(TEST, where, attribute, own, min);
            }
            if (fromDefaults.isPresent() && fromDefaults.get() != AdversarialTest.NOT_SET_INT) {
                return checkInt(DEFAULTS, defaults.get().where(), attribute, fromDefaults.get(), min);
            }
            return parameters.get(key, text -> ConfigurationParameters.atLeast(text, min), "the default " + builtIn)
                    .orElse(builtIn);
        }

        private static int checkInt(String annotation, String location, String attribute, int value, int min) {
            if (value < min) {
                throw ConfigurationErrors.invalid(annotation, location, "declare " + attribute + " >= " + min, value);
            }
            return value;
        }

        private long resolveSeed() {
            if (test.seed() != AdversarialTest.NOT_SET_SEED) {
                return test.seed();
            }
            if (defaults.isPresent() && defaults.get().annotation().seed() != AdversarialTest.NOT_SET_SEED) {
                return defaults.get().annotation().seed();
            }
            return parameters.get(AdversarialTest.SEED_PROPERTY, Long::parseLong, "the default " + DEFAULT_SEED)
                    .orElse(DEFAULT_SEED);
        }

        private GateMode resolveGateMode() {
            if (test.gateMode() != GateMode.DEFAULT) {
                return test.gateMode();
            }
            if (defaults.isPresent() && defaults.get().annotation().gateMode() != GateMode.DEFAULT) {
                return defaults.get().annotation().gateMode();
            }
            return parameters.get(AdversarialTest.GATE_MODE_PROPERTY, text -> {
                GateMode mode = GateMode.valueOf(text.toUpperCase(Locale.ROOT));
                if (mode == GateMode.DEFAULT) {
                    throw new IllegalArgumentException("DEFAULT is not a gate mode");
                }
                return mode;
            }, "the default POINT_ESTIMATE").orElse(GateMode.POINT_ESTIMATE);
        }

        private Pgd resolvePgd() {
            if (pgdAnnotation.isEmpty()) {
                return null;
            }
            Located<Pgd> located = pgdAnnotation.get();
            if (!attacks.contains(AttackKind.PGD)) {
                throw ConfigurationErrors.of("Pgd", located.where(), "configures PGD but " + where + " runs only "
                        + attacks + "; add PGD to attack or remove @Pgd");
            }
            Pgd p = located.annotation();
            if (p.steps() < 1) {
                throw ConfigurationErrors.invalid("Pgd", located.where(), "declare steps >= 1", p.steps());
            }
            if (p.stepSize() != AdversarialTest.NOT_SET && !(Double.isFinite(p.stepSize()) && p.stepSize() > 0)) {
                throw ConfigurationErrors.invalid("Pgd", located.where(), "declare stepSize > 0", p.stepSize());
            }
            return p;
        }

        private HardenOnFailure resolveHardening() {
            if (hardeningAnnotation.isEmpty()) {
                return null;
            }
            String location = hardeningAnnotation.get().where();
            HardenOnFailure h = hardeningAnnotation.get().annotation();
            if (h.epochs() < 1) {
                throw ConfigurationErrors.invalid("HardenOnFailure", location, "declare epochs >= 1", h.epochs());
            }
            if (h.samples() < 0) {
                throw ConfigurationErrors.invalid("HardenOnFailure", location, "declare samples >= 0", h.samples());
            }
            if (h.batchSize() < 1) {
                throw ConfigurationErrors.invalid("HardenOnFailure", location, "declare batchSize >= 1", h.batchSize());
            }
            if (h.pgdSteps() < 1) {
                throw ConfigurationErrors.invalid("HardenOnFailure", location, "declare pgdSteps >= 1", h.pgdSteps());
            }
            double alpha = h.alpha() * io.robustunit.training.AdversarialTrainer.ALPHA_DENOMINATOR;
            if (!(h.alpha() >= 0 && h.alpha() <= 1) || alpha != Math.rint(alpha)) {
                throw ConfigurationErrors.invalid("HardenOnFailure", location, "declare alpha as a multiple of 1/"
                        + io.robustunit.training.AdversarialTrainer.ALPHA_DENOMINATOR + " in [0, 1]", h.alpha());
            }
            if (h.epsilon() != AdversarialTest.NOT_SET && !(h.epsilon() > 0 && h.epsilon() <= 1)) {
                throw ConfigurationErrors.invalid("HardenOnFailure", location, "declare epsilon in (0, 1]", h.epsilon());
            }
            return h;
        }

        private Targeted resolveTargeted() {
            if (targetedAnnotation.isEmpty()) {
                return null;
            }
            Located<Targeted> located = targetedAnnotation.get();
            Targeted t = located.annotation();
            boolean fixed = t.value() == Target.FIXED_CLASS;
            if (fixed && t.targetClass() < 0) {
                throw ConfigurationErrors.invalid("Targeted", located.where(),
                        "declare targetClass >= 0 with FIXED_CLASS", t.targetClass());
            }
            if (!fixed && t.targetClass() != AdversarialTest.NOT_SET_INT) {
                throw ConfigurationErrors.invalid("Targeted", located.where(),
                        "declare targetClass only with FIXED_CLASS, not with " + t.value(), t.targetClass());
            }
            return t;
        }
    }
}
