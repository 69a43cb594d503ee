package io.robustunit.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Store;

import io.robustunit.report.Baseline;
import io.robustunit.report.BaselineException;
import io.robustunit.report.ClassReport;
import io.robustunit.report.HtmlSummary;

/**
 * What one test run shares across classes: its settings, the baseline to compare with, the results to record into
 * it, and the class reports for the HTML summary. It lives in the root context's store; when the run ends it
 * records the baseline update first, then writes the summary, so that a failing report never costs the baseline.
 */
final class RunReports implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AdversarialTestExtension.class.getName());

    final RunSettings settings;
    private final List<ClassReport> reports = new ArrayList<>();
    private final List<Baseline.Entry> baselineUpdates = new ArrayList<>();
    private Optional<Baseline> baseline;
    private BaselineException baselineError;

    private RunReports(RunSettings settings) {
        this.settings = settings;
    }

    /**
     * @return the run's reports, created by the first test that asks
     * @throws org.junit.jupiter.api.extension.ExtensionConfigurationException if a run-wide setting is invalid,
     *         for every test that asks
     */
    static RunReports of(ExtensionContext context) {
        Store store = context.getRoot().getStore(AdversarialTestExtension.NAMESPACE);
        return store.getOrComputeIfAbsent(RunReports.class, k -> new RunReports(RunSettings.resolve(context)),
                RunReports.class);
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
                baseline = Baseline.read(settings.baselineFile());
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
        Path file = settings.baselineFile();
        try {
            if (settings.updateBaseline() && !baselineUpdates.isEmpty()) {
                Baseline.update(file, baselineUpdates);
                System.out.println("RobustUnit: baseline " + file.toAbsolutePath() + " updated with "
                        + baselineUpdates.size() + " results");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("RobustUnit could not update the baseline " + file.toAbsolutePath(), e);
        } finally {
            writeSummary();
        }
    }

    private void writeSummary() {
        if (reports.isEmpty()) {
            return;
        }
        Path directory = settings.reportsDirectory();
        try {
            Path page = HtmlSummary.write(directory, reports, Instant.now());
            LOG.info(() -> "RobustUnit: robustness report written to " + page.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("RobustUnit could not write its reports to " + directory.toAbsolutePath(), e);
        }
    }
}
