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

    @Test
    void valuesOfTheWrongTypeTrailingContentAndUnknownFieldsAreRejected(@TempDir Path dir) throws IOException {
        String valid = Baseline.empty().with(List.of(entry("0.1", 8))).toJson();
        Path wordSeed = Files.writeString(dir.resolve("seed.json"), valid.replace("\"seed\" : 42", "\"seed\" : \"forty-two\""));
        assertThatThrownBy(() -> Baseline.read(wordSeed)).hasMessage("robustness baseline " + wordSeed
                + " entry 0 has \"seed\": \"forty-two\", which is not a whole number; fix it, or delete it and run "
                + "with -Drobustunit.baseline.update=true to record a new one");
        Path fractionalSamples = Files.writeString(dir.resolve("samples.json"), valid.replace("\"samples\" : 10",
                "\"samples\" : 10.5"));
        assertThatThrownBy(() -> Baseline.read(fractionalSamples))
                .hasMessageContaining("entry 0 has \"samples\": 10.5, which is not a whole number");
        Path numericParameter = Files.writeString(dir.resolve("attack.json"), valid.replace("\"epsilon\" : \"0.1\"",
                "\"epsilon\" : 0.1"));
        assertThatThrownBy(() -> Baseline.read(numericParameter))
                .hasMessageContaining("entry 0 has attack parameter \"epsilon\" = 0.1, which is not a string");
        Path trailing = Files.writeString(dir.resolve("trailing.json"), valid + "{\"more\": 1}");
        assertThatThrownBy(() -> Baseline.read(trailing)).hasMessageStartingWith("robustness baseline " + trailing
                + " is not valid JSON (Trailing token");
        Path unknown = Files.writeString(dir.resolve("unknown.json"), valid.replace("\"samples\" : 10,",
                "\"samples\" : 10, \"sampels\" : 10,"));
        assertThatThrownBy(() -> Baseline.read(unknown)).hasMessageContaining("entry 0 has the unknown field \"sampels\"");
    }

    @Test
    void anUpdateRemovesTheTemporaryFilesAKilledWriterLeftBehind(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("robustness-baseline.json");
        Path stale = Files.writeString(dir.resolve(".robustness-baseline.json.4242.7.tmp"), "half a bas");
        Path unrelated = Files.writeString(dir.resolve(".other.json.4242.7.tmp"), "not ours");
        Baseline.update(file, List.of(entry("0.1", 8)));
        assertThat(stale).doesNotExist();
        assertThat(unrelated).exists();
        assertThat(Baseline.read(file).orElseThrow().entries()).containsExactly(entry("0.1", 8));
    }

    @Test
    void twoJvmsUpdatingOneBaselineLoseNoEntry(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("shared.json");
        String javaBinary = ProcessHandle.current().info().command().orElseThrow();
        String classpath = System.getProperty("java.class.path");
        java.util.List<Process> writers = new java.util.ArrayList<>();
        for (String prefix : new String[] {"a", "b"}) {
            writers.add(new ProcessBuilder(javaBinary, "-cp", classpath, BaselineWriter.class.getName(), file.toString(),
                    prefix, "25").redirectErrorStream(true).start());
        }
        for (Process writer : writers) {
            String output = new String(writer.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(writer.waitFor()).as(output).isZero();
        }
        assertThat(Baseline.read(file).orElseThrow().entries()).hasSize(50)
                .extracting(Baseline.Entry::test).contains("a#0", "a#24", "b#0", "b#24");
    }
}
