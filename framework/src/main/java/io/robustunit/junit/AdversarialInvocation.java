package io.robustunit.junit;

import java.lang.reflect.Method;
import java.nio.file.Files;
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

import io.robustunit.health.EvaluationHealth;
import io.robustunit.metrics.EvaluationResult;
import io.robustunit.report.BaselineVerdict;
import io.robustunit.report.ExampleImages;
import io.robustunit.report.HtmlSummary;

/**
 * One (attack, ε) invocation: it injects the attack's outcome into the method's parameters and, after the body
 * returns, checks the thresholds and the baseline.
 */
final class AdversarialInvocation implements TestTemplateInvocationContext {

    private static final java.util.logging.Logger LOG =
            java.util.logging.Logger.getLogger(AdversarialTestExtension.class.getName());

    /** What every invocation of one method shares. */
    record Context(TestSettings settings, Fixtures fixtures, RunReports run, ClassReportCollector collector) {
    }

    private final TestSettings.Invocation invocation;
    private final Context shared;

    AdversarialInvocation(TestSettings.Invocation invocation, Context shared) {
        this.invocation = invocation;
        this.shared = shared;
    }

    @Override
    public String getDisplayName(int invocationIndex) {
        return invocation.displayName();
    }

    @Override
    public List<Extension> getAdditionalExtensions() {
        return List.of(new Injector(), new Gatekeeper());
    }

    private Outcome outcome() {
        TestSettings settings = shared.settings();
        return Outcomes.of(shared.fixtures(), invocation.spec(), settings.batchSize, settings.where());
    }

    /** Supplies {@link AdversarialBatch}, {@link EvaluationResult}, {@link AttackInfo} and {@link EvaluationHealth}. */
    private final class Injector implements ParameterResolver {

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            Class<?> type = parameter.getParameter().getType();
            return type == AdversarialBatch.class || type == EvaluationResult.class || type == AttackInfo.class
                    || type == EvaluationHealth.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            Class<?> type = parameter.getParameter().getType();
            Outcome outcome = outcome();
            if (type == AdversarialBatch.class) {
                return outcome.batch();
            }
            if (type == EvaluationHealth.class) {
                return outcome.health();
            }
            return type == EvaluationResult.class ? outcome.result() : outcome.info(invocation.displayName());
        }
    }

    /** Runs the body, then the gate, then the baseline; records the numbers either way. */
    private final class Gatekeeper implements InvocationInterceptor {

        @Override
        public void interceptTestTemplateMethod(Invocation<Void> call, ReflectiveInvocationContext<Method> method,
                                                ExtensionContext context) throws Throwable {
            TestSettings settings = shared.settings();
            Outcome outcome = outcome();
            RobustnessGate gate = new RobustnessGate(settings, outcome, invocation.displayName());
            context.publishReportEntry(gate.reportEntry());
            warnAboutHealth(outcome, settings);
            boolean passed = false;
            BaselineVerdict verdict = BaselineVerdict.of(BaselineVerdict.NOT_COMPARED);
            try {
                call.proceed();
                checkGate(gate, outcome, context);
                BaselineCheck baseline = new BaselineCheck(shared.run(), settings, shared.fixtures());
                verdict = baseline.compare(outcome);
                context.publishReportEntry("robustunit.baseline", baseline.describe(verdict, outcome));
                baseline.enforce(verdict, outcome, invocation.displayName());
                passed = true;
            } finally {
                ExampleImages pictures = Records.examples(settings, outcome, invocation.displayName());
                shared.collector().record(outcome, Records.result(settings, outcome, invocation.displayName(), passed,
                        verdict), pictures);
                pictures.png().ifPresent(png -> attach(context, png));
            }
        }

        /** Logs the checks that warn, so that a passing test's console shows them too. */
        private void warnAboutHealth(Outcome outcome, TestSettings settings) {
            if (!outcome.health().isHealthy()) {
                LOG.warning(() -> "RobustUnit: evaluation health of " + invocation.displayName() + " on "
                        + settings.where() + ": " + outcome.health().summary() + "\n"
                        + outcome.health().describe("  "));
            }
        }

        /** Attaches the examples picture to the test's report where the launcher keeps files; never fails. */
        private void attach(ExtensionContext context, byte[] png) {
            try {
                context.publishFile(HtmlSummary.fileStem(invocation.displayName()) + ".png", MediaType.IMAGE_PNG,
                        path -> Files.write(path, png));
            } catch (RuntimeException e) {
                LOG.fine(() -> "RobustUnit: the launcher does not take files (" + e.getMessage() + ")");
            }
        }

        private void checkGate(RobustnessGate gate, Outcome outcome, ExtensionContext context) {
            try {
                gate.check();
            } catch (AssertionFailedError failure) {
                HardenOnFailure hardening = shared.settings().hardening;
                if (hardening == null) {
                    throw failure;
                }
                throw withHardenedCandidate(failure, hardening, outcome, context);
            }
        }

        private AssertionFailedError withHardenedCandidate(AssertionFailedError failure, HardenOnFailure hardening,
                                                           Outcome outcome, ExtensionContext context) {
            Hardening.Key key = Hardening.key(hardening, invocation.spec(), shared.settings());
            Fixtures fixtures = shared.fixtures();
            Hardening.Result result = fixtures.store().getOrComputeIfAbsent(key, k -> Hardening.run(key,
                    fixtures.model(), fixtures.trainingData(), outcome, shared.run().settings.hardenedDirectory()),
                    Hardening.Result.class);
            return new AssertionFailedError(failure.getMessage() + "\n  " + result.describe() + "\n",
                    failure.getExpected().getValue(), failure.getActual().getValue());
        }
    }
}
