package io.robustunit.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Logger;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Store;

import io.robustunit.report.Baseline;
import io.robustunit.report.BaselineException;
import io.robustunit.report.ClassReport;
import io.robustunit.report.HtmlSummary;

/**
 * What one test run shares across classes: where reports go, the baseline to compare with, and the class
 * reports for the HTML summary. It lives in the root context's store; when the run ends it writes the
 * summary and, when asked to, the updated baseline.
 */
final class RunReports implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AdversarialTestExtension.class.getName());
    private static final Object KEY = RunReports.class;

    /** How a baseline comparison treats sampling noise. */
    enum BaselineMode {
        /** Regression when the measured accuracy is below the baseline by more than the tolerance. */
        POINT_ESTIMATE,
        /** Regression only when even the upper bound of the 95% Wilson interval is. */
        WILSON
    }

    final Path directory;
    final Path baselineFile;
    final boolean updateBaseline;
    final double tolerance;
    final BaselineMode mode;
    private final List<ClassReport> reports = new ArrayList<>();
    private final List<Baseline.Entry> baselineUpdates = new ArrayList<>();
    private Optional<Baseline> baseline;
    private BaselineException baselineError;

    private RunReports(ConfigurationParameters parameters, ExtensionContext context) {
        this.directory = Path.of(context.getConfigurationParameter(AdversarialTest.REPORTS_DIRECTORY_PROPERTY)
                .orElse(AdversarialTest.DEFAULT_REPORTS_DIRECTORY));
        this.baselineFile = Path.of(context.getConfigurationParameter(AdversarialTest.BASELINE_FILE_PROPERTY)
                .orElse(AdversarialTest.DEFAULT_BASELINE_FILE));
        this.updateBaseline = parameters.get(AdversarialTest.BASELINE_UPDATE_PROPERTY, RunReports::bool, "false")
                .orElse(false);
        this.tolerance = parameters.get(AdversarialTest.BASELINE_TOLERANCE_PROPERTY, ConfigurationParameters::fraction,
                "the default 0.01").orElse(AdversarialTest.DEFAULT_BASELINE_TOLERANCE);
        this.mode = parameters.get(AdversarialTest.BASELINE_MODE_PROPERTY,
                text -> BaselineMode.valueOf(text.toUpperCase(Locale.ROOT)), "the default POINT_ESTIMATE")
                .orElse(BaselineMode.POINT_ESTIMATE);
    }

    private static boolean bool(String text) {
        if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("must be true or false");
        }
        return Boolean.parseBoolean(text);
    }

    static RunReports of(ExtensionContext context) {
        Store store = context.getRoot().getStore(AdversarialTestExtension.NAMESPACE);
        synchronized (RunReports.class) {
            RunReports existing = store.get(KEY, RunReports.class);
            if (existing == null) {
                existing = new RunReports(new ConfigurationParameters(context), context);
                store.put(KEY, existing);
            }
            return existing;
        }
    }

    /**
     * @return the committed baseline, read once per run; empty when there is none
     * @throws BaselineException if the file exists but is corrupt, every time it is asked for
     */
    synchronized Optional<Baseline> baseline() {
        if (baselineError != null) {
            throw baselineError;
        }
        if (baseline == null) {
            try {
                baseline = Baseline.read(baselineFile);
            } catch (BaselineException e) {
                baselineError = e;
                throw e;
            }
        }
        return baseline;
    }

    synchronized void add(ClassReport report) {
        reports.add(report);
    }

    synchronized void recordForBaseline(Baseline.Entry entry) {
        baselineUpdates.add(entry);
    }

    @Override
    public synchronized void close() {
        try {
            if (!reports.isEmpty()) {
                Path page = HtmlSummary.write(directory, reports, Instant.now());
                LOG.info(() -> "RobustUnit: robustness report written to " + page.toAbsolutePath());
            }
            if (updateBaseline && !baselineUpdates.isEmpty()) {
                Baseline current = baseline().orElse(Baseline.empty());
                current.with(baselineUpdates).write(baselineFile);
                LOG.info(() -> "RobustUnit: baseline " + baselineFile.toAbsolutePath() + " updated with "
                        + baselineUpdates.size() + " results");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("RobustUnit could not write its reports to " + directory.toAbsolutePath(), e);
        }
    }
}
