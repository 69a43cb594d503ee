package io.robustunit.junit;

import java.util.stream.Stream;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext.Store;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Provides one invocation per (attack, ε) for methods annotated, directly or through a meta-annotation, with
 * {@link AdversarialTest}. Settings are resolved and validated first, then the class's model and data declarations
 * are found; the attack runs when the first invocation needs its result.
 *
 * <p>Under parallel execution, invocations share the class's model. RobustUnit's kernels are immutable and run
 * concurrently; models evaluated through DL4J's backprop serialize their calls, because DL4J networks are not
 * thread-safe. Each attack result is computed by one invocation while the others wait.
 */
final class AdversarialTestExtension implements TestTemplateInvocationContextProvider {

    static final Namespace NAMESPACE = Namespace.create(AdversarialTestExtension.class);

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getTestMethod().map(m -> AnnotationSupport.isAnnotated(m, AdversarialTest.class)).orElse(false);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        RunReports run = RunReports.of(context);
        TestSettings settings = SettingsResolver.resolve(context);
        Declarations declarations = Declarations.find(SettingsResolver.nearestFirst(context), settings.where());
        if (settings.hardening != null && declarations.training().isEmpty()) {
            throw ConfigurationErrors.of("HardenOnFailure", settings.where(), "needs training data: declare it with "
                    + "@TrainingData on a static field or method, or on the class with IDX resources");
        }
        ExtensionContext classContext = context.getParent().orElseThrow();
        Store store = classContext.getStore(NAMESPACE);
        AdversarialInvocation.Context shared = new AdversarialInvocation.Context(settings,
                new Fixtures(store, declarations), run,
                ClassReportCollector.of(store, classContext.getRequiredTestClass(), run));
        return settings.invocations().stream().map(invocation -> new AdversarialInvocation(invocation, shared));
    }
}
