package io.robustunit.example.mnist.keras;

import static io.robustunit.junit.AttackKind.FGSM;
import static io.robustunit.junit.AttackKind.PGD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

import io.robustunit.data.LabelledDataset;
import io.robustunit.example.mnist.MnistData;
import io.robustunit.example.mnist.peer.PeerWeights;
import io.robustunit.junit.AdversarialTest;
import io.robustunit.junit.ModelUnderTest;
import io.robustunit.junit.TestData;
import io.robustunit.metrics.EvaluationResult;

/**
 * {@code @AdversarialTest} through the real JUnit engine on the tutorial's MLP saved by Keras 2 ({@code .h5}), by
 * Keras 3 ({@code .h5} and {@code .keras}), and on the same weights loaded into DL4J by hand: every gate sees the
 * same clean and adversarial counts, under FGSM and PGD. A Keras file RobustUnit refuses fails the test class with
 * a configuration error that names the layer.
 */
class KerasGateTest {

    static final Map<String, int[]> COUNTS = new ConcurrentHashMap<>();

    abstract static class GateTestCase {
        @TestData
        static LabelledDataset data() throws IOException {
            return MnistData.test();
        }

        @AdversarialTest(epsilon = 0.05, attack = {FGSM, PGD}, samples = 1000, seed = 7)
        void attack(EvaluationResult result) {
            COUNTS.put(getClass().getSimpleName() + " " + result.attack().name(),
                    new int[] {result.clean().correct(), result.adversarial().correct()});
        }
    }

    @ModelUnderTest("/keras/mlp-keras2.h5")
    static class Keras2TestCase extends GateTestCase {
    }

    @ModelUnderTest("/keras/mlp-keras3.h5")
    static class Keras3TestCase extends GateTestCase {
    }

    @ModelUnderTest("/keras/mlp.keras")
    static class ArchiveTestCase extends GateTestCase {
    }

    static class Dl4jTestCase extends GateTestCase {
        @ModelUnderTest
        static MultiLayerNetwork model() throws Exception {
            return PeerWeights.load(Path.of(KerasGateTest.class.getResource("/peer/W1.npy").toURI()).getParent());
        }
    }

    @ModelUnderTest("/keras/lambda-keras2.h5")
    static class LambdaTestCase extends GateTestCase {
    }

    @TempDir
    static Path reports;

    /** Runs a fixture with its reports and baseline in a temporary directory, not the module's. */
    private static EngineExecutionResults run(Class<?> fixture) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture))
                .configurationParameter(AdversarialTest.REPORTS_DIRECTORY_PROPERTY, reports.resolve("reports").toString())
                .configurationParameter(AdversarialTest.BASELINE_FILE_PROPERTY, reports.resolve("baseline.json").toString())
                .execute();
    }

    @Test
    void everyKerasFormatIsGatedWithTheNumbersOfTheSameWeightsAsADl4jNetwork() {
        for (Class<?> fixture : new Class<?>[] {Dl4jTestCase.class, Keras2TestCase.class, Keras3TestCase.class,
                ArchiveTestCase.class}) {
            run(fixture).testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));
        }
        for (String attack : new String[] {"FGSM", "PGD"}) {
            int[] dl4j = COUNTS.get("Dl4jTestCase " + attack);
            assertThat(dl4j).as(attack).isNotNull();
            assertThat(dl4j[1]).as("%s leaves some but not all examples correct", attack).isBetween(1, dl4j[0] - 1);
            for (String keras : new String[] {"Keras2TestCase", "Keras3TestCase", "ArchiveTestCase"}) {
                assertThat(COUNTS.get(keras + " " + attack)).as(keras + " " + attack).containsExactly(dl4j);
            }
        }
    }

    @Test
    void aKerasFileWithALambdaLayerFailsTheClassNamingTheLayer() {
        EngineExecutionResults results = run(LambdaTestCase.class);
        Throwable failure = results.allEvents().finished().stream()
                .map(e -> e.getPayload(TestExecutionResult.class).orElseThrow())
                .filter(r -> r.getStatus() == TestExecutionResult.Status.FAILED)
                .map(r -> r.getThrowable().orElseThrow()).findFirst().orElseThrow();
        assertThat(failure).hasMessageContaining("resource /keras/lambda-keras2.h5: layer 'lambda' (Lambda) holds "
                + "Python code or a TensorFlow graph, which RobustUnit never decodes or runs");
    }
}
