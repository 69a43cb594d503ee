package io.robustunit.example.mnist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * {@code robustness --model} takes Keras files as they are: the tutorial's MLP saved by Keras 2 and 3 gives the
 * robustness table of the same weights loaded from PyTorch's {@code .npy} files, and a Functional model (a
 * {@code ComputationGraph}) and a channels-last CNN, whose image size only the data fixes, run too.
 */
class KerasCliTest {

    /** The accuracy cells of a table row: ε, FGSM accuracy and interval, PGD accuracy and interval. */
    private static final Pattern ROW = Pattern.compile("(?m)^(0\\.05|0)\\s+(\\S+%)\\s+(\\[\\S+%, \\S+%\\])\\s+(\\S+%)\\s+"
            + "(\\[\\S+%, \\S+%\\])");

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private static String resource(String name) throws Exception {
        return Path.of(KerasCliTest.class.getResource(name).toURI()).toString();
    }

    private static List<String> rows(String out) {
        Matcher m = ROW.matcher(out);
        List<String> rows = new java.util.ArrayList<>();
        while (m.find()) {
            rows.add(m.group(1) + " " + m.group(2) + " " + m.group(3) + " " + m.group(4) + " " + m.group(5));
        }
        return rows;
    }

    @ParameterizedTest
    @ValueSource(strings = {"/keras/mlp-keras2.h5", "/keras/mlp-keras3.h5", "/keras/mlp.keras"})
    void aKerasFileGivesTheTableOfTheSameWeightsLoadedFromNpy(String fixture) throws Exception {
        String[] common = {"robustness", "--samples", "500", "--epsilons", "0,0.05", "--pgd-steps", "5"};
        CliRun keras = run(concat(common, "--model", resource(fixture)));
        CliRun npy = run(concat(common, "--npy-weights", Path.of(resource("/peer/W1.npy")).getParent().toString()));
        assertThat(keras.exitCode()).as(keras.err()).isZero();
        assertThat(npy.exitCode()).as(npy.err()).isZero();
        assertThat(keras.out()).contains(resource(fixture) + ", MultiLayerNetwork [784] -> 10 (RobustUnit kernels)");
        assertThat(rows(keras.out())).hasSize(2).isEqualTo(rows(npy.out()));
    }

    @Test
    void aFunctionalModelAndAChannelsLastCnnRunFromTheirKerasFiles() throws Exception {
        CliRun graph = run("robustness", "--model", resource("/keras/branch.keras"), "--samples", "200", "--epsilons",
                "0,0.05", "--pgd-steps", "3");
        assertThat(graph.exitCode()).as(graph.err()).isZero();
        assertThat(graph.out()).contains("ComputationGraph [784] -> 10 (RobustUnit kernels)");
        assertThat(rows(graph.out())).hasSize(2);
        CliRun cnn = run("evaluate", "--model", resource("/keras/cnn-keras2.h5"));
        assertThat(cnn.exitCode()).as(cnn.err()).isZero();
        assertThat(cnn.out()).containsPattern("accuracy 9\\d\\.\\d\\d% \\(\\d+/10000\\)");
    }

    @Test
    void aRefusedKerasFileIsAnErrorNamingTheLayer() throws Exception {
        CliRun lambda = run("evaluate", "--model", resource("/keras/lambda-keras2.h5"));
        assertThat(lambda.exitCode()).isEqualTo(1);
        assertThat(lambda.err()).contains("error: model file " + resource("/keras/lambda-keras2.h5") + ": layer "
                + "'lambda' (Lambda) holds Python code");
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}
