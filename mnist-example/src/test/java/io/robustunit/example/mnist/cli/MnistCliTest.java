package io.robustunit.example.mnist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.robustunit.example.mnist.ReferenceMlp;

/** Runs the CLI in-process, as {@code robustunit-mnist} would, and checks its output and exit codes. */
class MnistCliTest {

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void evaluatePrintsAccuracyPerClassAndConfusionMatrix() {
        CliRun run = run("evaluate");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("shipped model /models/mnist-mlp.zip on MNIST test (10000 examples)")
                .containsPattern("accuracy 9\\d\\.\\d\\d% \\(\\d+/10000\\)")
                .contains("confusion matrix (rows: true class, columns: predicted class)")
                .containsPattern("(?m)^9\\s+\\d+\\s+\\d+");
    }

    @Test
    void robustnessPrintsTheEpsilonTable() {
        CliRun run = run("robustness", "--samples", "300", "--epsilons", "0,0.1", "--pgd-steps", "3", "--example", "0");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("ε", "FGSM acc", "PGD acc", "MNIST test: 300 examples")
                .containsPattern("(?m)^0\\.1\\s+\\d+\\.\\d\\d%")
                .contains("MNIST test #0, true label 7");
    }

    @Test
    void robustnessRunsTheAutoAttackEnsembleOnRequest() {
        CliRun run = run("robustness", "--samples", "100", "--epsilons", "0,0.1", "--attack", "FGSM,AUTO");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("FGSM acc", "AUTO acc", "AUTO 95% CI", "AUTO s",
                        "AUTO: APGD-CE, then APGD-T, then Square, each on what is still correct (FAB-T omitted), seed 42.")
                .containsPattern("(?m)^0\\.1\\s+\\d+\\.\\d\\d%\\s+\\[.*\\]\\s+\\d+\\.\\d\\d%")
                .containsPattern("FGSM \\d+ images/s, AUTO \\d+ images/s \\(attack generation only\\)");
        CliRun twice = run("robustness", "--attack", "PGD,PGD");
        assertThat(twice.exitCode()).isEqualTo(1);
        assertThat(twice.err()).contains("error: --attack lists an attack twice: [PGD, PGD]");
        CliRun unknown = run("robustness", "--attack", "DEEPFOOL");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("Invalid value for option '--attack'");
    }

    @Test
    void trainWritesALoadableModel(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("tiny.zip");
        CliRun run = run("train", "--epochs", "1", "--train-samples", "500", "--batch-size", "32", "--output", model.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).containsPattern("epoch  1/1  loss \\d\\.\\d{4}  train \\d+\\.\\d\\d%  test \\d+\\.\\d\\d%")
                .contains("wrote " + model);
        assertThat(ReferenceMlp.load(model).numParams()).isEqualTo(101_770L);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(model);
        }
    }

    @Test
    void badInputGivesAClearErrorAndExitCode(@TempDir Path dir) {
        CliRun usage = run("robustness", "--epsilons", "abc");
        assertThat(usage.exitCode()).isEqualTo(2);
        assertThat(usage.err()).contains("Invalid value for option '--epsilons'");

        CliRun badEps = run("robustness", "--epsilons", "1.5");
        assertThat(badEps.exitCode()).isEqualTo(1);
        assertThat(badEps.err()).contains("error: FGSM epsilon must be finite and in (0, 1.0]").contains("but was 1.5");

        Path missing = dir.resolve("none.zip");
        CliRun noModel = run("evaluate", "--model", missing.toString());
        assertThat(noModel.exitCode()).isEqualTo(1);
        assertThat(noModel.err()).contains("error: model file " + missing + " does not exist");
    }

    @Test
    void outOfRangeOptionsAreRejectedBeforeAnyWork(@TempDir Path dir) throws Exception {
        assertThat(run("robustness", "--samples", "-5").err())
                .contains("error: --samples must be at least 0 (0 means all) but was -5");
        assertThat(run("robustness", "--samples", "10001").err()).contains("error: --samples must be in [0, 10000] but was 10001");
        assertThat(run("robustness", "--example", "-3").err()).contains("error: --example must be in [0, 9999] but was -3");
        assertThat(run("robustness", "--png-dir", dir.toString()).err())
                .contains("error: --png-dir needs --example INDEX: it writes that example's images");
        assertThat(run("train", "--train-samples", "-1").err())
                .contains("error: --train-samples must be at least 0 (0 means all) but was -1");
        assertThat(run("harden", "--held-out", "-1").err()).contains("error: --held-out must be in [1, 10000] but was -1");
        CliRun tooMany = run("harden", "--held-out", "999999");
        assertThat(tooMany.exitCode()).isEqualTo(1);
        assertThat(tooMany.err()).contains("error: --held-out must be in [1, 10000] but was 999999");
        assertThat(tooMany.out()).doesNotContain("epoch");
    }

    @Test
    void anOutputPathThatCannotBeWrittenIsRejectedBeforeTraining(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        Path under = file.resolve("model.zip");
        for (String command : new String[] {"train", "harden"}) {
            CliRun run = run(command, "--output", under.toString());
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("error: --output " + under + " cannot be created: " + file
                    + " is a regular file, not a directory");
            assertThat(run.out()).doesNotContain("epoch");
        }
        assertThat(run("train", "--output", dir.toString()).err())
                .contains("error: --output " + dir + " is a directory; name a file");
    }
}
