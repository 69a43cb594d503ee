package io.robustunit.example.mnist.cnn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.stream.Stream;

import org.deeplearning4j.nn.api.Model;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.robustunit.data.LabelledDataset;
import io.robustunit.example.mnist.MnistData;
import io.robustunit.example.mnist.peer.NpyArrays;
import io.robustunit.example.mnist.peer.PeerCnns;
import io.robustunit.metrics.RobustnessEvaluator;
import io.robustunit.model.DifferentiableClassifier;
import io.robustunit.model.dl4j.Dl4jModels;

/**
 * The networks of {@code benchmarks/cnn_peer.py} with the weights PyTorch trained, attacked through RobustUnit's
 * kernels: probabilities and input gradients equal PyTorch's, and FGSM accuracy on the 10,000 MNIST test images is
 * PyTorch's within 0.15 pp at every ε of the tutorial's grid. Together the networks cover every layer kind the
 * kernels evaluate, in MultiLayerNetworks and a ComputationGraph.
 *
 * <p>Float32 rounding alone moves FGSM accuracy: a gradient component within rounding of zero takes either sign,
 * and at large ε each such pixel moves by 2ε. The peer records the same weights' FGSM accuracy in float64 too; where
 * PyTorch's own float32 and float64 numbers lie further apart than 0.15 pp (LeNet at ε = 0.3: 6.06% against 5.39%),
 * that spread is the tolerance, since two correct float32 implementations can disagree as much.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PyTorchCnnCrossCheckTest {

    private static final double TOLERANCE = 0.0015;

    private LabelledDataset test;
    private final Map<String, DifferentiableClassifier> classifiers = new java.util.HashMap<>();
    private final Map<String, float[]> signs = new java.util.HashMap<>();

    @BeforeAll
    void load() throws IOException {
        test = MnistData.test();
        Map<String, Model> networks = Map.of("lenet", PeerCnns.lenet(PeerCnnFiles.directory("lenet")),
                "bn-cnn", PeerCnns.bnCnn(PeerCnnFiles.directory("bn-cnn")),
                "nhwc-cnn", PeerCnns.nhwcCnn(PeerCnnFiles.directory("nhwc-cnn")),
                "activations", PeerCnns.activations(PeerCnnFiles.directory("activations")),
                "resnet", PeerCnns.resnet(PeerCnnFiles.directory("resnet")));
        networks.forEach((arch, network) -> classifiers.put(arch, Dl4jModels.trainable(network).classifier(784)));
    }

    /** sign(∂J/∂x) over the test set, computed once per network. */
    private float[] gradientSigns(String arch) {
        return signs.computeIfAbsent(arch, a -> {
            float[] gradient = new float[test.features().length];
            classifiers.get(a).lossGradient(test.features(), test.labels(), 0, test.size(), gradient);
            for (int i = 0; i < gradient.length; i++) {
                gradient[i] = Math.signum(gradient[i]);
            }
            return gradient;
        });
    }

    static Stream<String> architectures() {
        return Stream.of("lenet", "bn-cnn", "nhwc-cnn", "activations", "resnet");
    }

    static Stream<Arguments> fgsmGrid() {
        return architectures().flatMap(arch -> Stream.of(0.05, 0.1, 0.15, 0.2, 0.25, 0.3)
                .map(eps -> Arguments.of(arch, eps)));
    }

    private static JsonNode reference(String arch) throws IOException {
        return new ObjectMapper().readTree(Files.readString(PeerCnnFiles.directory(arch).resolve("arch.json")))
                .path("reference");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void theKernelsSeeWhatPyTorchSees(String arch) throws IOException {
        DifferentiableClassifier model = classifiers.get(arch);
        assertThat(model.description()).endsWith("(RobustUnit kernels)");
        LabelledDataset first = test.slice(0, 16);
        float[] probabilities = new float[16 * 10];
        model.probabilities(first.features(), 0, 16, probabilities);
        float[] expected = PeerCnnFiles.npy(arch, "probs16").values();
        for (int i = 0; i < expected.length; i++) {
            assertThat(probabilities[i]).as("%s probability %d", arch, i).isCloseTo(expected[i], within(2e-5f));
        }

        LabelledDataset four = test.slice(0, 4);
        float[] gradient = new float[4 * 784];
        model.lossGradient(four.features(), four.labels(), 0, 4, gradient);
        NpyArrays.Array peer = PeerCnnFiles.npy(arch, "grad4");
        float scale = 0f;
        for (float g : peer.values()) {
            scale = Math.max(scale, Math.abs(g));
        }
        for (int i = 0; i < gradient.length; i++) {
            assertThat(gradient[i]).as("%s ∂J/∂x[%d]", arch, i).isCloseTo(peer.values()[i], within(1e-3f * scale));
        }
    }

    @ParameterizedTest(name = "{0} clean")
    @MethodSource("architectures")
    void cleanAccuracyIsPyTorchs(String arch) throws IOException {
        double accuracy = RobustnessEvaluator.of(classifiers.get(arch)).evaluateClean(test).accuracy();
        assertThat(accuracy).isCloseTo(reference(arch).path("clean_accuracy").asDouble(), within(TOLERANCE));
    }

    @ParameterizedTest(name = "{0} FGSM ε={1}")
    @MethodSource("fgsmGrid")
    void fgsmAccuracyMatchesPyTorch(String arch, double eps) throws IOException {
        double expected = Double.NaN;
        double tolerance = TOLERANCE;
        for (JsonNode row : reference(arch).path("fgsm")) {
            if (row.path("epsilon").asDouble() == eps) {
                expected = row.path("accuracy").asDouble();
                tolerance = Math.max(TOLERANCE, Math.abs(expected - row.path("accuracy_float64").asDouble()));
            }
        }
        // FGSM's gradient does not depend on ε: compute it once per network and take each ε's step from it
        float[] sign = gradientSigns(arch);
        float[] x = test.features();
        float[] adversarial = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            adversarial[i] = Math.min(1f, Math.max(0f, x[i] + (float) eps * sign[i]));
        }
        double ours = RobustnessEvaluator.of(classifiers.get(arch))
                .evaluateClean(LabelledDataset.of("FGSM", adversarial, test.labels(), 784, 10, test.range()))
                .accuracy();
        assertThat(ours).as("%s FGSM ε=%s", arch, eps).isCloseTo(expected, within(tolerance));
    }
}
