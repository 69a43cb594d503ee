package io.robustunit.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaselineFileTest {

    private static Baseline.Entry entry(String eps, int correct) {
        return new Baseline.Entry("a.B#m", Map.of("attack", "FGSM", "epsilon", eps, "norm", "L∞"), 10, 42, correct,
                correct / 10.0, 0.9, "abc", "model");
    }

    @Test
    void roundTripsAndMergesByKey(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("b.json");
        Baseline.update(file, List.of(entry("0.1", 8), entry("0.2", 6)));
        Baseline updated = Baseline.read(file).orElseThrow().with(List.of(entry("0.2", 5)));
        assertThat(updated.entries()).containsExactly(entry("0.1", 8), entry("0.2", 5));
        assertThat(updated.find(entry("0.1", 0).key())).contains(entry("0.1", 8));
        assertThat(Baseline.read(dir.resolve("missing.json"))).isEmpty();
    }

    @Test
    void corruptFilesAreRejectedWithTheReason(@TempDir Path dir) throws IOException {
        Path notJson = Files.writeString(dir.resolve("a.json"), "not json");
        assertThatThrownBy(() -> Baseline.read(notJson)).isInstanceOf(BaselineException.class)
                .hasMessageStartingWith("robustness baseline " + notJson + " is not valid JSON (");
        Path wrongSchema = Files.writeString(dir.resolve("b.json"), "{\"schema\": \"other/2\", \"entries\": []}");
        assertThatThrownBy(() -> Baseline.read(wrongSchema))
                .hasMessageStartingWith("robustness baseline " + wrongSchema + " has schema \"other/2\", expected \"robustunit-baseline/1\"");
        Path inconsistent = dir.resolve("c.json");
        Files.writeString(inconsistent, Baseline.empty().with(List.of(entry("0.1", 8))).toJson().replace("\"correct\" : 8", "\"correct\" : 11"));
        assertThatThrownBy(() -> Baseline.read(inconsistent))
                .hasMessageStartingWith("robustness baseline " + inconsistent + " entry 0 has inconsistent numbers: correct 11 of 10");
        Path missingField = Files.writeString(dir.resolve("d.json"), "{\"schema\": \"robustunit-baseline/1\", \"entries\": [{}]}");
        assertThatThrownBy(() -> Baseline.read(missingField))
                .hasMessageStartingWith("robustness baseline " + missingField + " entry 0 has no \"attack\"");
    }
}
