package io.robustunit.example.mnist.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

import io.robustunit.data.LabelledDataset;
import io.robustunit.example.mnist.MnistData;
import io.robustunit.example.mnist.ReferenceMlp;
import io.robustunit.junit.AdversarialDefaults;
import io.robustunit.junit.AdversarialTest;
import io.robustunit.junit.HardenOnFailure;
import io.robustunit.junit.ModelUnderTest;
import io.robustunit.junit.TestData;
import io.robustunit.junit.TrainingData;
import io.robustunit.model.dl4j.Dl4jModels;

/** A failing gate with {@link HardenOnFailure}, run through the real engine on the shipped MNIST model. */
class HardenOnFailureTest {

    static final Path MODEL = Path.of("target/hardening-test/mnist-mlp.zip");

    private static final Pattern CANDIDATE = Pattern.compile("a hardened candidate reaches (\\d+\\.\\d\\d)% \\(FGSM\\) / "
            + "(\\d+\\.\\d\\d)% \\(PGD-20\\) at ε=0\\.1 with clean accuracy (\\d+\\.\\d\\d)%; saved to (\\S+)\n");
    private static final Pattern MEASURED = Pattern.compile("adversarial accuracy +(\\d+\\.\\d\\d)%");

    // tag::harden[]
    @ModelUnderTest("file:target/hardening-test/mnist-mlp.zip")
    @AdversarialDefaults(samples = 1000, seed = 3)
    static class HardeningTestCase {

        @TestData
        static LabelledDataset test() throws IOException {
            return MnistData.test();
        }

        @TrainingData
        static LabelledDataset train() throws IOException {
            return MnistData.train();
        }

        @AdversarialTest(epsilon = 0.1, minAdversarialAccuracy = 0.9)
        @HardenOnFailure(epochs = 1, samples = 6000)
        void gate() {
        }
        // end::harden[]
    }

    @Test
    void aFailingGateReportsAHardenedCandidateAndLeavesTheModelFileAlone(@TempDir Path hardenedDir,
                                                                         @TempDir Path reports) throws Exception {
        Files.createDirectories(MODEL.getParent());
        try (InputStream in = ReferenceMlp.class.getResourceAsStream(ReferenceMlp.SHIPPED_MODEL)) {
            Files.copy(in, MODEL, StandardCopyOption.REPLACE_EXISTING);
        }
        String modelBytesBefore = sha256(MODEL);

        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(HardeningTestCase.class))
                .configurationParameter(HardenOnFailure.DIRECTORY_PROPERTY, hardenedDir.toString())
                .configurationParameter(AdversarialTest.REPORTS_DIRECTORY_PROPERTY, reports.toString())
                .execute();

        List<Throwable> failures = results.testEvents().failed().stream()
                .map(e -> e.getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow()).toList();
        assertThat(failures).hasSize(1);
        String message = failures.get(0).getMessage();
        assertThat(message).startsWith("FGSM ε=0.1 on HardeningTestCase.gate(): adversarial accuracy ");
        Matcher measured = MEASURED.matcher(message);
        Matcher candidate = CANDIDATE.matcher(message);
        assertThat(measured.find()).isTrue();
        assertThat(candidate.find()).as(message).isTrue();

        double before = Double.parseDouble(measured.group(1));
        double fgsm = Double.parseDouble(candidate.group(1));
        double pgd = Double.parseDouble(candidate.group(2));
        double clean = Double.parseDouble(candidate.group(3));
        Path saved = Path.of(candidate.group(4));
        assertThat(fgsm).isGreaterThan(before + 20);
        assertThat(pgd).isGreaterThan(20);
        assertThat(clean).isGreaterThan(93);
        assertThat(saved).isEqualTo(hardenedDir.resolve("HardeningTestCase.gate-FGSM-eps0.1.zip").toAbsolutePath());
        assertThat(Dl4jModels.parameterDigest(ReferenceMlp.load(saved)))
                .isNotEqualTo(Dl4jModels.parameterDigest(ReferenceMlp.loadShipped()));
        try (var files = Files.list(hardenedDir)) {
            assertThat(files).containsExactly(saved);
        }
        assertThat(sha256(MODEL)).isEqualTo(modelBytesBefore);
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
