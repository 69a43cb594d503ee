package io.robustunit.report;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A second JVM for {@code BaselineFileTest}: records {@code count} entries into one baseline file, one update each,
 * as a Surefire fork with its own run of tests would.
 */
public final class BaselineWriter {

    private BaselineWriter() {
    }

    /** @param args the baseline file, the prefix of this writer's tests, and the number of entries */
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        for (int i = 0; i < Integer.parseInt(args[2]); i++) {
            Baseline.update(file, List.of(new Baseline.Entry(args[1] + "#" + i, Map.of("attack", "FGSM",
                    "epsilon", "0.1", "norm", "L∞"), 10, 42, 5, 0.5, 0.9, "abc", "model")));
        }
    }
}
