package io.robustunit.junit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Store;

import io.robustunit.attack.Attack;
import io.robustunit.data.IdxArray;
import io.robustunit.data.LabelledDataset;
import io.robustunit.metrics.EvaluationResult;
import io.robustunit.metrics.RobustnessEvaluator;
import io.robustunit.model.Dl4jModels;
import io.robustunit.report.AtomicFiles;
import io.robustunit.report.ClassReport;
import io.robustunit.report.ExampleImages;
import io.robustunit.report.ReportJson;
import io.robustunit.report.ResultRecord;

/**
 * Everything one test class shares: its model and data, loaded on first use, and the result of each
 * attack, computed once however many invocations ask for it, also concurrently. It lives in the class's
 * {@link Store} and is closed with it.
 */
final class ClassResources implements AutoCloseable {

    private static final Object KEY = ClassResources.class;

    private final Declaration<ModelUnderTest> modelDeclaration;
    private final Declaration<TestData> dataDeclaration;
    private final Declaration<TrainingData> trainingDeclaration;
    private final Memo<ModelHandle> model = new Memo<>();
    private final Memo<LabelledDataset> data = new Memo<>();
    private final Memo<LabelledDataset> trainingData = new Memo<>();
    private final Map<InvocationSpec, FutureTask<Outcome>> outcomes = new ConcurrentHashMap<>();
    private final Map<Hardening.Key, FutureTask<Hardening.Result>> hardenings = new ConcurrentHashMap<>();
    private final List<ResultRecord> records = new ArrayList<>();
    private final List<ExampleImages> examples = new ArrayList<>();
    private final String testClass;
    private final RunReports run;

    private ClassResources(Declaration<ModelUnderTest> model, Declaration<TestData> data,
                           Declaration<TrainingData> training, String testClass, RunReports run) {
        this.modelDeclaration = model;
        this.dataDeclaration = data;
        this.trainingDeclaration = training;
        this.testClass = testClass;
        this.run = run;
    }

    /** @return the run's report settings and baseline */
    RunReports run() {
        return run;
    }

    /** Keeps an invocation's numbers and pictures for the class's report. */
    synchronized void record(ResultRecord record, ExampleImages pictures) {
        records.add(record);
        examples.add(pictures);
    }

    /**
     * Finds or creates the resources of the class of a test method, checking that a model and data are
     * declared; nothing is loaded yet.
     */
    static ClassResources of(ExtensionContext methodContext) {
        ExtensionContext classContext = methodContext.getParent().orElseThrow();
        Store store = classContext.getStore(AdversarialTestExtension.NAMESPACE);
        synchronized (ClassResources.class) {
            ClassResources existing = store.get(KEY, ClassResources.class);
            if (existing != null) {
                return existing;
            }
            List<Class<?>> classes = new ArrayList<>();
            classes.add(methodContext.getRequiredTestClass());
            List<Class<?>> enclosing = new ArrayList<>(methodContext.getEnclosingTestClasses());
            Collections.reverse(enclosing);
            classes.addAll(enclosing);
            String where = ConfigurationErrors.where(methodContext.getRequiredTestMethod());
            Declaration<ModelUnderTest> model = Declaration.find(ModelUnderTest.class, classes).orElseThrow(
                    () -> ConfigurationErrors.of("AdversarialTest", where, "has no model: declare one with "
                            + "@ModelUnderTest on a static field or method, or on the class with a resource"));
            Declaration<TestData> data = Declaration.find(TestData.class, classes).orElseThrow(
                    () -> ConfigurationErrors.of("AdversarialTest", where, "has no data: declare it with "
                            + "@TestData on a static field or method, or on the class with IDX resources"));
            Declaration<TrainingData> training = Declaration.find(TrainingData.class, classes).orElse(null);
            ClassResources created = new ClassResources(model, data, training,
                    classContext.getRequiredTestClass().getName(), RunReports.of(methodContext));
            store.put(KEY, created);
            return created;
        }
    }

    /** @return whether the class declares {@link TrainingData} */
    boolean hasTrainingData() {
        return trainingDeclaration != null;
    }

    /** @return the hardened candidate for a failed invocation, training it if no invocation has yet */
    Hardening.Result hardened(Hardening.Key key, Outcome outcome, java.nio.file.Path directory) {
        FutureTask<Hardening.Result> task = new FutureTask<>(() -> Hardening.run(key, model.get(this::loadModel),
                trainingData.get(() -> loadDataset(trainingDeclaration, trainingDeclaration.classAnnotation() == null
                        ? null : new String[] {trainingDeclaration.classAnnotation().images(),
                        trainingDeclaration.classAnnotation().labels(), trainingDeclaration.classAnnotation().name()})),
                outcome, directory));
        FutureTask<Hardening.Result> existing = hardenings.putIfAbsent(key, task);
        if (existing == null) {
            task.run();
            existing = task;
        }
        return Memo.await(existing);
    }

    /** @return the result of {@code spec}, computing it if no invocation has yet */
    Outcome outcome(InvocationSpec spec, int batchSize, String where) {
        FutureTask<Outcome> task = new FutureTask<>(() -> compute(spec, batchSize, where));
        FutureTask<Outcome> existing = outcomes.putIfAbsent(spec, task);
        if (existing == null) {
            task.run();
            existing = task;
        }
        return Memo.await(existing);
    }

    private Outcome compute(InvocationSpec spec, int batchSize, String where) {
        ModelHandle m = model.get(this::loadModel);
        LabelledDataset all = data.get(this::loadData);
        checkCompatible(m, all);
        int[] indices = spec.samples() == 0 || spec.samples() >= all.size()
                ? java.util.stream.IntStream.range(0, all.size()).toArray()
                : all.stratifiedIndices(spec.samples(), spec.seed());
        LabelledDataset sample = indices.length == all.size() ? all : all.subset(indices);
        Attack attack;
        try {
            attack = spec.toAttack(all.range());
        } catch (IllegalArgumentException e) {
            throw ConfigurationErrors.of("AdversarialTest", where, "cannot attack " + dataDeclaration.description()
                    + ": " + e.getMessage());
        }
        EvaluationResult result = RobustnessEvaluator.of(m.classifier).batchSize(batchSize).evaluate(sample, attack);
        AttackInfo info = new AttackInfo(attack, spec.kind(), sample.size(), all.size(), spec.seed());
        return new Outcome(spec, sample, indices, result, info, m.name, m.parameterDigest(), all.name());
    }

    private void checkCompatible(ModelHandle m, LabelledDataset all) {
        if (all.featureCount() != m.classifier.inputSize()) {
            throw new ExtensionConfigurationException("Configuration error: " + m.name + " expects "
                    + m.classifier.inputSize() + " features per example but " + dataDeclaration.description()
                    + " has " + all.featureCount());
        }
        if (all.numClasses() > m.classifier.numClasses()) {
            throw new ExtensionConfigurationException("Configuration error: " + dataDeclaration.description()
                    + " has labels in [0, " + all.numClasses() + ") but " + m.name + " predicts only "
                    + m.classifier.numClasses() + " classes");
        }
    }

    private ModelHandle loadModel() {
        ModelUnderTest onClass = modelDeclaration.classAnnotation();
        if (onClass == null) {
            return ModelHandle.of(modelDeclaration.value(), modelDeclaration.description(), !modelDeclaration.isField());
        }
        String location = onClass.value();
        if (location.isEmpty()) {
            throw new ExtensionConfigurationException("Configuration error: " + modelDeclaration.description()
                    + " on a class must name the model, e.g. @ModelUnderTest(\"/models/model.zip\")");
        }
        Path file = Declaration.fileOf(location);
        try {
            return ModelHandle.of(file != null ? Dl4jModels.load(file) : Dl4jModels.loadResource(location),
                    location, true);
        } catch (IOException e) {
            throw new ExtensionConfigurationException(modelDeclaration.description() + ": " + e.getMessage(), e);
        }
    }

    private LabelledDataset loadData() {
        TestData onClass = dataDeclaration.classAnnotation();
        return loadDataset(dataDeclaration, onClass == null ? null
                : new String[] {onClass.images(), onClass.labels(), onClass.name()});
    }

    /**
     * @param location on a class: {images, labels, name}; {@code null} for a field or method
     */
    private static LabelledDataset loadDataset(Declaration<?> declaration, String[] location) {
        if (location == null) {
            Object value = declaration.value();
            if (!(value instanceof LabelledDataset dataset)) {
                throw new ExtensionConfigurationException("Configuration error: " + declaration.description()
                        + " must be a LabelledDataset but is a " + value.getClass().getName());
            }
            return dataset;
        }
        String images = location[0];
        String labels = location[1];
        if (images.isEmpty() || labels.isEmpty()) {
            throw new ExtensionConfigurationException("Configuration error: " + declaration.description()
                    + " on a class must name images and labels");
        }
        try {
            String name = location[2].isEmpty() ? images.replaceAll(".*/", "") : location[2];
            return LabelledDataset.fromIdx(readIdx(declaration, images), readIdx(declaration, labels), name, 0);
        } catch (IOException e) {
            throw new ExtensionConfigurationException(declaration.description() + ": " + e.getMessage(), e);
        }
    }

    private static IdxArray readIdx(Declaration<?> declaration, String location) throws IOException {
        Path file = Declaration.fileOf(location);
        if (file != null) {
            return IdxArray.read(file);
        }
        try (InputStream in = declaration.openResource(location)) {
            return IdxArray.read(in, location);
        }
    }

    /** Writes the class's JSON report, hands it to the run's summary, and closes what was loaded. */
    @Override
    public void close() throws IOException {
        try {
            writeReport();
        } finally {
            outcomes.clear();
            hardenings.clear();
            model.ifPresent(ModelHandle::close);
        }
    }

    private synchronized void writeReport() throws IOException {
        if (records.isEmpty()) {
            return;
        }
        ModelHandle m = model.get(this::loadModel);
        LabelledDataset d = data.get(this::loadData);
        ClassReport report = new ClassReport(testClass, m.name, m.parameterDigest(), m.classifier.description(), d.name(),
                d.size(), d.featureCount(), d.numClasses(), List.copyOf(records), List.copyOf(examples));
        AtomicFiles.writeString(run.directory.resolve(testClass + ".json"), ReportJson.write(report, Instant.now()));
        run.add(report);
    }

    /** A value computed once, by the first thread that asks; later callers wait for it or see its failure. */
    private static final class Memo<T> {

        private FutureTask<T> task;

        T get(java.util.concurrent.Callable<T> loader) {
            FutureTask<T> current;
            synchronized (this) {
                if (task == null) {
                    task = new FutureTask<>(loader);
                    current = task;
                    current.run();
                } else {
                    current = task;
                }
            }
            return await(current);
        }

        synchronized void ifPresent(java.util.function.Consumer<T> action) {
            if (task != null && task.isDone()) {
                try {
                    action.accept(task.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException e) {
                    // loading failed: nothing to close
                }
            }
        }

        static <T> T await(FutureTask<T> task) {
            try {
                return task.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for an attack result", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (cause instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException(cause);
            }
        }
    }
}
