package io.robustunit.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.robustunit.health.HealthCheck;

/** Every text the HTML summary shows is escaped, whoever wrote it. */
class HtmlSummaryTest {

    private static final String HOSTILE = "<img src=x onerror=alert(1)>";

    @Test
    void everyFieldIsEscaped(@TempDir Path dir) throws IOException {
        ResultRecord record = new ResultRecord("m" + HOSTILE + "()", "FGSM " + HOSTILE, Map.of("attack", HOSTILE), 0.1,
                2, 2, 42, 2, 1, 1.0, 0.5, 0.1, 0.9, 0.5, 0.9, 0.8, new double[] {1, 1}, new double[] {0.5, 0.5},
                new long[][] {{1, 0}, {1, 0}}, 0.01, 0.02, HOSTILE, Map.of("gateMode", HOSTILE),
                new BaselineVerdict(HOSTILE, 0.5, true),
                List.of(new HealthCheck(HOSTILE, HealthCheck.Status.WARNING, "detail " + HOSTILE)));
        ClassReport report = new ClassReport("a.B" + HOSTILE, "model " + HOSTILE, "sha " + HOSTILE,
                "description " + HOSTILE, "data " + HOSTILE, 2, 3, 2, List.of(record), List.of());

        String html = Files.readString(HtmlSummary.write(dir, List.of(report), Instant.EPOCH));

        assertThat(html).doesNotContain(HOSTILE).contains("&lt;img src=x onerror=alert(1)&gt;")
                .contains("<td class=\"failed\">&lt;img");
    }
}
