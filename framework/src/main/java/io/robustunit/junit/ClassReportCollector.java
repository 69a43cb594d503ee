package io.robustunit.junit;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.extension.ExtensionContext.Store;

import io.robustunit.report.BaselineVerdict;
import io.robustunit.report.ClassReport;
import io.robustunit.report.ExampleImages;
import io.robustunit.report.ReportJson;
import io.robustunit.report.ResultRecord;

/**
 * Collects the invocations of one test class for its JSON report, kept in the class's store. When the class ends it
 * writes the report, hands it to the run's HTML summary, and prints one line with the class's baseline verdicts, so
 * that a comparison that did not happen is never silent.
 */
final class ClassReportCollector implements AutoCloseable {

    private final String testClass;
    private final RunReports run;
    private final List<ResultRecord> records = new ArrayList<>();
    private final List<ExampleImages> examples = new ArrayList<>();
    private Outcome first;

    private ClassReportCollector(String testClass, RunReports run) {
        this.testClass = testClass;
        this.run = run;
    }

    static ClassReportCollector of(Store classStore, Class<?> testClass, RunReports run) {
        return classStore.getOrComputeIfAbsent(ClassReportCollector.class,
                k -> new ClassReportCollector(testClass.getName(), run), ClassReportCollector.class);
    }

    synchronized void record(Outcome outcome, ResultRecord record, ExampleImages pictures) {
        if (first == null) {
            first = outcome;
        }
        records.add(record);
        examples.add(pictures);
    }

    @Override
    public synchronized void close() throws IOException {
        if (records.isEmpty()) {
            return;
        }
        System.out.println(baselineSummary());
        ClassReport report = new ClassReport(testClass, first.model(), first.modelDigest(), first.modelDescription(),
                first.dataset(), first.datasetSize(), first.sample().featureCount(), first.sample().numClasses(),
                List.copyOf(records), List.copyOf(examples));
        ReportJson.save(run.settings.reportsDirectory(), report, Instant.now());
        run.add(report);
    }

    /** @return e.g. {@code RobustUnit baseline, MnistTests: 4 compared (1 improved, 0 regressed), 0 missing, model unchanged} */
    String baselineSummary() {
        Map<String, Integer> counts = new TreeMap<>();
        boolean modelChanged = false;
        for (ResultRecord r : records) {
            counts.merge(r.baseline().verdict(), 1, Integer::sum);
            modelChanged |= r.baseline().modelChanged();
        }
        int improved = counts.getOrDefault(BaselineVerdict.IMPROVED, 0);
        int regressed = counts.getOrDefault(BaselineVerdict.REGRESSED, 0);
        int compared = improved + regressed + counts.getOrDefault(BaselineVerdict.WITHIN_TOLERANCE, 0);
        String simpleName = testClass.substring(testClass.lastIndexOf('.') + 1);
        StringBuilder line = new StringBuilder("RobustUnit baseline, " + simpleName + ": ");
        if (counts.containsKey(BaselineVerdict.RECORDED)) {
            line.append(counts.get(BaselineVerdict.RECORDED)).append(" recorded for ")
                    .append(run.settings.baselineFile()).append(", ");
        }
        line.append(compared).append(" compared (").append(improved).append(" improved, ").append(regressed)
                .append(" regressed), ").append(counts.getOrDefault(BaselineVerdict.MISSING, 0)).append(" missing");
        int notCompared = counts.getOrDefault(BaselineVerdict.NOT_COMPARED, 0);
        if (notCompared > 0) {
            line.append(", ").append(notCompared).append(" not compared because they failed first");
        }
        if (counts.containsKey(BaselineVerdict.NO_BASELINE)) {
            line.append(", no baseline file at ").append(run.settings.baselineFile());
        }
        return line.append(modelChanged ? ", MODEL CHANGED" : ", model unchanged").toString();
    }
}
