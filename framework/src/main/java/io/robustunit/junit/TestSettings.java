package io.robustunit.junit;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

import io.robustunit.attack.Norm;

/** Every setting of one {@link AdversarialTest} method, resolved and validated by {@link SettingsResolver}. */
final class TestSettings {

    /** One invocation: what it attacks with and its display name. */
    record Invocation(InvocationSpec spec, String displayName) {
    }

    final Method method;
    final Norm norm;
    final double[] epsilons;
    final List<InvocationSpec.AttackPlan> plans;
    final OptionalDouble maxAccuracyDrop;
    final OptionalDouble minAdversarialAccuracy;
    final int samples;
    final long seed;
    final int batchSize;
    final GateMode gateMode;
    final HealthMode healthMode;
    final String namePattern;
    final HardenOnFailure hardening;
    private final List<Invocation> invocations;

    @SuppressWarnings("checkstyle:ParameterNumber")
    TestSettings(Method method, Norm norm, double[] epsilons, List<InvocationSpec.AttackPlan> plans,
                 OptionalDouble maxAccuracyDrop, OptionalDouble minAdversarialAccuracy, int samples, long seed,
                 int batchSize, GateMode gateMode, HealthMode healthMode, String namePattern,
                 HardenOnFailure hardening) {
        this.method = method;
        this.norm = norm;
        this.epsilons = epsilons.clone();
        this.plans = List.copyOf(plans);
        this.maxAccuracyDrop = maxAccuracyDrop;
        this.minAdversarialAccuracy = minAdversarialAccuracy;
        this.samples = samples;
        this.seed = seed;
        this.batchSize = batchSize;
        this.gateMode = gateMode;
        this.healthMode = healthMode;
        this.namePattern = namePattern;
        this.hardening = hardening;
        this.invocations = enumerate();
    }

    /** @return e.g. {@code MnistTests.fgsm()} */
    String where() {
        return ConfigurationErrors.where(method);
    }

    /** @return {@code fully.qualified.Class#method}, the test's identity in baselines */
    String testId() {
        return method.getDeclaringClass().getName() + "#" + method.getName();
    }

    /** @return one invocation per (attack, ε), attacks outermost, in declaration order */
    List<Invocation> invocations() {
        return invocations;
    }

    private List<Invocation> enumerate() {
        List<Invocation> out = new ArrayList<>();
        for (InvocationSpec.AttackPlan plan : plans) {
            for (double eps : epsilons) {
                InvocationSpec spec = new InvocationSpec(plan, eps, norm, samples, seed);
                out.add(new Invocation(spec, DisplayNames.format(namePattern, spec, out.size() + 1)));
            }
        }
        return List.copyOf(out);
    }
}
