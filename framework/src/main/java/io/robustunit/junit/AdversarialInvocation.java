package io.robustunit.junit;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.MediaType;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.opentest4j.AssertionFailedError;

import io.robustunit.metrics.EvaluationResult;
import io.robustunit.report.ExampleImages;
import io.robustunit.report.HtmlSummary;

/**
 * One (attack, ε) invocation: it injects the attack's outcome into the method's parameters and, after the
 * body returns, checks the thresholds.
 */
final class AdversarialInvocation implements TestTemplateInvocationContext {

    private static final java.util.logging.Logger LOG =
            java.util.logging.Logger.getLogger(AdversarialTestExtension.class.getName());

    private final InvocationSpec spec;
    private final AdversarialSettings settings;
    private final ClassResources resources;

    AdversarialInvocation(InvocationSpec spec, AdversarialSettings settings, ClassResources resources) {
        this.spec = spec;
        this.settings = settings;
        this.resources = resources;
    }

    @Override
    public String getDisplayName(int invocationIndex) {
        return spec.displayName();
    }

    @Override
    public List<Extension> getAdditionalExtensions() {
        return List.of(new Injector(), new Gatekeeper());
    }

    private Outcome outcome() {
        return resources.outcome(spec, settings.batchSize, ConfigurationErrors.where(settings.method));
    }

    /** Supplies {@link AdversarialBatch}, {@link EvaluationResult} and {@link AttackInfo} parameters. */
    private final class Injector implements ParameterResolver {

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            Class<?> type = parameter.getParameter().getType();
            return type == AdversarialBatch.class || type == EvaluationResult.class || type == AttackInfo.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            Class<?> type = parameter.getParameter().getType();
            Outcome outcome = outcome();
            if (type == AdversarialBatch.class) {
                return outcome.batch();
            }
            return type == EvaluationResult.class ? outcome.result() : outcome.info();
        }
    }

    /** Runs the body, then the gate; publishes the numbers either way. */
    private final class Gatekeeper implements InvocationInterceptor {

        @Override
        public void interceptTestTemplateMethod(Invocation<Void> invocation,
                                                ReflectiveInvocationContext<Method> invocationContext,
                                                ExtensionContext context) throws Throwable {
            Outcome outcome = outcome();
            RobustnessGate gate = new RobustnessGate(settings, outcome);
            context.publishReportEntry(gate.reportEntry());
            boolean passed = false;
            try {
                invocation.proceed();
                checkGate(gate, outcome, context);
                new BaselineCheck(resources.run(), settings, resources).check(outcome, context);
                passed = true;
            } finally {
                ExampleImages pictures = Records.examples(settings, outcome);
                resources.record(Records.result(settings, outcome, passed), pictures);
                pictures.png().ifPresent(png -> attach(context, png));
            }
        }

        /** Attaches the examples picture to the test's report where the launcher keeps files; never fails. */
        private void attach(ExtensionContext context, byte[] png) {
            try {
                context.publishFile(HtmlSummary.fileStem(spec.displayName()) + ".png", MediaType.IMAGE_PNG,
                        path -> Files.write(path, png));
            } catch (RuntimeException e) {
                LOG.fine(() -> "RobustUnit: the launcher does not take files (" + e.getMessage() + ")");
            }
        }

        private void checkGate(RobustnessGate gate, Outcome outcome, ExtensionContext context) {
            try {
                gate.check(ConfigurationErrors.where(settings.method));
            } catch (AssertionFailedError failure) {
                if (settings.hardening == null) {
                    throw failure;
                }
                throw withHardenedCandidate(failure, outcome, context);
            }
        }

        private AssertionFailedError withHardenedCandidate(AssertionFailedError failure, Outcome outcome,
                                                           ExtensionContext context) {
            Hardening.Key key = Hardening.key(settings.hardening, spec,
                    settings.method.getDeclaringClass().getSimpleName(), settings.method.getName());
            Path directory = Path.of(context.getConfigurationParameter(HardenOnFailure.DIRECTORY_PROPERTY)
                    .orElse(HardenOnFailure.DEFAULT_DIRECTORY));
            Hardening.Result result = resources.hardened(key, outcome, directory);
            return new AssertionFailedError(failure.getMessage() + "\n  " + result.describe() + "\n",
                    failure.getExpected().getValue(), failure.getActual().getValue());
        }
    }
}
