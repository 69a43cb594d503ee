package io.robustunit.junit;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

import io.robustunit.attack.Norm;
import io.robustunit.training.AdversarialTrainer;

/**
 * Resolves every setting of one {@link AdversarialTest} method in one place: the method's annotation, then
 * {@link AdversarialDefaults} on the class or the nearest enclosing class, then the configuration parameter, then
 * the built-in default. Every value is validated where it is found, before any work.
 */
final class SettingsResolver {

    private static final String TEST = "AdversarialTest";
    private static final String DEFAULTS = "AdversarialDefaults";

    private record Located<A>(A annotation, String where) {
    }

    private final Method method;
    private final String where;
    private final AdversarialTest test;
    private final Optional<Located<AdversarialDefaults>> defaults;
    private final ConfigurationParameters parameters;
    private final List<Class<?>> classes;

    private SettingsResolver(ExtensionContext context) {
        this.method = context.getRequiredTestMethod();
        this.where = ConfigurationErrors.where(method);
        this.test = AnnotationSupport.findAnnotation(method, AdversarialTest.class).orElseThrow();
        this.classes = nearestFirst(context);
        this.defaults = nearest(AdversarialDefaults.class);
        this.parameters = new ConfigurationParameters(context);
    }

    /** @return the test class, then its enclosing classes, nearest first */
    static List<Class<?>> nearestFirst(ExtensionContext context) {
        List<Class<?>> classes = new ArrayList<>();
        classes.add(context.getRequiredTestClass());
        List<Class<?>> enclosing = new ArrayList<>(context.getEnclosingTestClasses());
        Collections.reverse(enclosing);
        classes.addAll(enclosing);
        return classes;
    }

    static TestSettings resolve(ExtensionContext context) {
        return new SettingsResolver(context).resolve();
    }

    private TestSettings resolve() {
        Norm norm = resolve(Settings.NORM, Norm.LINF);
        double[] epsilons = layered(Settings.EPSILON, norm).orElseThrow(() -> ConfigurationErrors.of(TEST, where,
                "must declare epsilon, on the annotation, on @AdversarialDefaults or as configuration parameter "
                        + AdversarialTest.EPSILON_PROPERTY));
        List<InvocationSpec.AttackPlan> plans = plans(norm);
        OptionalDouble maxDrop = fraction(Settings.MAX_ACCURACY_DROP, norm);
        OptionalDouble minAccuracy = fraction(Settings.MIN_ADVERSARIAL_ACCURACY, norm);
        return new TestSettings(method, norm, epsilons, plans, maxDrop, minAccuracy, resolve(Settings.SAMPLES, norm),
                resolve(Settings.SEED, norm), resolve(Settings.BATCH_SIZE, norm), resolve(Settings.GATE_MODE, norm),
                resolve(Settings.EVALUATION_HEALTH, norm), resolve(Settings.NAME, norm), hardening());
    }

    private <T> T resolve(Setting<T> setting, Norm norm) {
        return layered(setting, norm).orElse(setting.builtIn);
    }

    private OptionalDouble fraction(Setting<Double> setting, Norm norm) {
        return layered(setting, norm).map(OptionalDouble::of).orElse(OptionalDouble.empty());
    }

    /**
     * @return the value from the first layer that sets it, validated there; empty if none does. A configuration
     *         parameter is validated even where an annotation overrides it, so that a typo never hides.
     */
    private <T> Optional<T> layered(Setting<T> setting, Norm norm) {
        Optional<T> configured = parameters.parse(setting, norm);
        Optional<T> own = read(() -> setting.onTest(test), TEST, where);
        if (own.isPresent()) {
            return Optional.of(checked(setting, own.get(), norm, TEST, where));
        }
        if (defaults.isPresent()) {
            Located<AdversarialDefaults> d = defaults.get();
            Optional<T> inherited = read(() -> setting.onDefaults(d.annotation()), DEFAULTS, d.where());
            if (inherited.isPresent()) {
                return Optional.of(checked(setting, inherited.get(), norm, DEFAULTS, d.where()));
            }
        }
        return configured;
    }

    private static <T> Optional<T> read(java.util.function.Supplier<Optional<T>> reader, String annotation,
                                        String location) {
        try {
            return reader.get();
        } catch (Setting.InvalidAttribute e) {
            throw ConfigurationErrors.invalid(annotation, location, e.violation.rule(), e.violation.value());
        }
    }

    private static <T> T checked(Setting<T> setting, T value, Norm norm, String annotation, String location) {
        Setting.Violation violation = setting.check(value, norm);
        if (violation != null) {
            throw ConfigurationErrors.invalid(annotation, location, violation.rule(), violation.value());
        }
        return value;
    }

    private List<InvocationSpec.AttackPlan> plans(Norm norm) {
        List<AttackSource> sources = AnnotationSupport.findRepeatableAnnotations(method, AttackSource.class);
        Optional<List<AttackKind>> declared = layered(Settings.ATTACK, norm);
        List<AttackKind> kinds = declared.orElse(sources.isEmpty() ? Settings.ATTACK.builtIn : List.of());
        Optional<Located<Pgd>> pgd = nearestOnMethodOrClass(Pgd.class);
        Optional<Located<Targeted>> targeted = nearestOnMethodOrClass(Targeted.class);
        checkPgd(pgd, kinds);
        checkTargeted(targeted, kinds);
        List<InvocationSpec.AttackPlan> plans = new ArrayList<>();
        for (AttackKind kind : kinds) {
            plans.add(InvocationSpec.BuiltIn.of(kind, pgd.map(Located::annotation).orElse(null),
                    targeted.map(Located::annotation).orElse(null)));
        }
        for (AttackSource source : sources) {
            AttackProvider provider = ProvidedAttacks.instantiate(source.value(), where);
            InvocationSpec.Provided plan = new InvocationSpec.Provided(source.value(), provider.name());
            if (plans.contains(plan)) {
                throw ConfigurationErrors.invalid("AttackSource", where, "declare each provider once",
                        source.value().getName());
            }
            plans.add(plan);
        }
        return plans;
    }

    private void checkPgd(Optional<Located<Pgd>> located, List<AttackKind> kinds) {
        if (located.isEmpty()) {
            return;
        }
        String at = located.get().where();
        Pgd p = located.get().annotation();
        if (!kinds.contains(AttackKind.PGD)) {
            throw ConfigurationErrors.of("Pgd", at, "configures PGD but " + where + " runs only " + kinds
                    + "; add PGD to attack or remove @Pgd");
        }
        if (p.steps() < 1) {
            throw ConfigurationErrors.invalid("Pgd", at, "declare steps >= 1", p.steps());
        }
        if (!Double.isNaN(p.stepSize()) && !(Double.isFinite(p.stepSize()) && p.stepSize() > 0)) {
            throw ConfigurationErrors.invalid("Pgd", at, "declare stepSize > 0", p.stepSize());
        }
    }

    private void checkTargeted(Optional<Located<Targeted>> located, List<AttackKind> kinds) {
        if (located.isEmpty()) {
            return;
        }
        String at = located.get().where();
        Targeted t = located.get().annotation();
        if (kinds.isEmpty()) {
            throw ConfigurationErrors.of("Targeted", at, "applies to the built-in attacks but " + where
                    + " runs only @AttackSource attacks");
        }
        List<AttackKind> untargetable = kinds.stream().filter(k -> k != AttackKind.FGSM && k != AttackKind.PGD)
                .toList();
        if (!untargetable.isEmpty()) {
            throw ConfigurationErrors.of("Targeted", at, "sets the target of FGSM and PGD but " + where + " also runs "
                    + untargetable + ", which pick their own targets (APGD_T, AUTO) or none; declare them in a test "
                    + "without @Targeted");
        }
        boolean fixed = t.value() == TargetChoice.FIXED_CLASS;
        if (fixed && t.targetClass() < 0) {
            throw ConfigurationErrors.invalid("Targeted", at, "declare targetClass >= 0 with FIXED_CLASS",
                    t.targetClass() == AdversarialTest.NOT_SET_INT ? "not set" : t.targetClass());
        }
        if (!fixed && t.targetClass() != AdversarialTest.NOT_SET_INT) {
            throw ConfigurationErrors.invalid("Targeted", at, "declare targetClass only with FIXED_CLASS, not with "
                    + t.value(), t.targetClass());
        }
    }

    private HardenOnFailure hardening() {
        Optional<Located<HardenOnFailure>> located = nearestOnMethodOrClass(HardenOnFailure.class);
        if (located.isEmpty()) {
            return null;
        }
        String at = located.get().where();
        HardenOnFailure h = located.get().annotation();
        requireAtLeast(h.epochs(), 1, "epochs", at);
        requireAtLeast(h.samples(), 0, "samples", at);
        requireAtLeast(h.batchSize(), 1, "batchSize", at);
        requireAtLeast(h.pgdSteps(), 1, "pgdSteps", at);
        try {
            AdversarialTrainer.fgsm(0.5).alpha(h.alpha());
        } catch (IllegalArgumentException e) {
            throw ConfigurationErrors.invalid("HardenOnFailure", at, "declare alpha as "
                    + AdversarialTrainer.ALPHA_RULE, h.alpha());
        }
        if (!Double.isNaN(h.epsilon()) && !(h.epsilon() > 0 && h.epsilon() <= 1)) {
            throw ConfigurationErrors.invalid("HardenOnFailure", at, "declare epsilon in (0, 1]", h.epsilon());
        }
        return h;
    }

    private static void requireAtLeast(int value, int min, String attribute, String at) {
        if (value < min) {
            throw ConfigurationErrors.invalid("HardenOnFailure", at, "declare " + attribute + " >= " + min, value);
        }
    }

    private <A extends Annotation> Optional<Located<A>> nearest(Class<A> type) {
        for (Class<?> c : classes) {
            Optional<A> found = AnnotationSupport.findAnnotation(c, type);
            if (found.isPresent()) {
                return Optional.of(new Located<>(found.get(), c.getSimpleName()));
            }
        }
        return Optional.empty();
    }

    private <A extends Annotation> Optional<Located<A>> nearestOnMethodOrClass(Class<A> type) {
        Optional<A> onMethod = AnnotationSupport.findAnnotation(method, type);
        if (onMethod.isPresent()) {
            return Optional.of(new Located<>(onMethod.get(), where));
        }
        return nearest(type);
    }
}
