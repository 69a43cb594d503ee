package io.robustunit.example.mnist.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Option checks made before any work, so that a bad value never costs a training run. */
final class CliChecks {

    private CliChecks() {
    }

    /** @throws IllegalArgumentException naming the option if {@code value < min} */
    static void atLeast(String option, int value, int min, String meaning) {
        if (value < min) {
            throw new IllegalArgumentException(option + " must be at least " + min + meaning + " but was " + value);
        }
    }

    /** @throws IllegalArgumentException naming the option if {@code value} is outside {@code [min, max]} */
    static void within(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(option + " must be in [" + min + ", " + max + "] but was " + value);
        }
    }

    /**
     * Checks that a file can be written at {@code path}: it is not a directory, and the first of its ancestors
     * that exists is a writable directory.
     *
     * @throws IllegalArgumentException naming the option and the problem
     */
    static void writableFile(String option, Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        if (Files.isDirectory(absolute)) {
            throw new IllegalArgumentException(option + " " + path + " is a directory; name a file");
        }
        Path ancestor = absolute.getParent();
        while (ancestor != null && !Files.exists(ancestor)) {
            ancestor = ancestor.getParent();
        }
        if (ancestor == null) {
            throw new IllegalArgumentException(option + " " + path + " has no existing parent directory");
        }
        if (!Files.isDirectory(ancestor)) {
            throw new IllegalArgumentException(option + " " + path + " cannot be created: " + ancestor
                    + " is a regular file, not a directory");
        }
        if (!Files.isWritable(ancestor)) {
            throw new IllegalArgumentException(option + " " + path + " cannot be created: " + ancestor
                    + " is not writable");
        }
    }
}
