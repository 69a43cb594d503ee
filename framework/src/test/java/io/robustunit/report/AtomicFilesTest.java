package io.robustunit.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @Test
    void replacesTheFileCompletely(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sub/report.json");
        AtomicFiles.writeString(file, "first");
        AtomicFiles.writeString(file, "second");
        assertThat(file).hasContent("second");
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void aCrashMidWriteLeavesTheOldFileIntactAndNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("baseline.json"), "old baseline");
        assertThatThrownBy(() -> AtomicFiles.write(file, temp -> {
            try (OutputStream out = Files.newOutputStream(temp)) {
                out.write("half of the new bas".getBytes());
                throw new IOException("simulated crash");
            }
        })).hasMessage("simulated crash");
        assertThat(file).hasContent("old baseline");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }
}
