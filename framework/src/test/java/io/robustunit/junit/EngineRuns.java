package io.robustunit.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.Map;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EventType;

/** Runs fixture classes through the real Jupiter engine and reads the outcome. */
final class EngineRuns {

    private EngineRuns() {
    }

    static EngineExecutionResults run(Class<?> fixture, String... keyValues) {
        EngineTestKit.Builder builder = EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture));
        for (int i = 0; i < keyValues.length; i += 2) {
            builder.configurationParameter(keyValues[i], keyValues[i + 1]);
        }
        return builder.execute();
    }

    /** Runs a fixture with its reports under {@code dir/reports} and its baseline at {@code dir/baseline.json}. */
    static EngineExecutionResults runWithReports(Class<?> fixture, java.nio.file.Path dir, String... keyValues) {
        String[] params = new String[4 + keyValues.length];
        params[0] = AdversarialTest.REPORTS_DIRECTORY_PROPERTY;
        params[1] = dir.resolve("reports").toString();
        params[2] = AdversarialTest.BASELINE_FILE_PROPERTY;
        params[3] = dir.resolve("baseline.json").toString();
        System.arraycopy(keyValues, 0, params, 4, keyValues.length);
        return run(fixture, params);
    }

    static List<String> displayNames(EngineExecutionResults results) {
        return results.testEvents().started().stream().map(e -> e.getTestDescriptor().getDisplayName()).toList();
    }

    static List<Throwable> failures(EngineExecutionResults results) {
        return results.allEvents().finished().stream()
                .map(e -> e.getPayload(TestExecutionResult.class).orElseThrow())
                .filter(r -> r.getStatus() == TestExecutionResult.Status.FAILED)
                .map(r -> r.getThrowable().orElseThrow()).toList();
    }

    static List<Map<String, String>> reportEntries(EngineExecutionResults results) {
        return results.testEvents().stream().filter(e -> e.getType() == EventType.REPORTING_ENTRY_PUBLISHED)
                .map((Event e) -> e.getPayload(ReportEntry.class).orElseThrow().getKeyValuePairs()).toList();
    }
}
