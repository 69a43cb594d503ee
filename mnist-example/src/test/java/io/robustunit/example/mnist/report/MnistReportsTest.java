package io.robustunit.example.mnist.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

import io.robustunit.data.LabelledDataset;
import io.robustunit.example.mnist.MnistData;
import io.robustunit.example.mnist.MnistTraining;
import io.robustunit.example.mnist.ReferenceMlp;
import io.robustunit.junit.AdversarialDefaults;
import io.robustunit.junit.AdversarialTest;
import io.robustunit.junit.AttackKind;
import io.robustunit.junit.ModelUnderTest;
import io.robustunit.junit.TestData;
import io.robustunit.report.HtmlSummary;

/** Reports and baselines on real MNIST, through the real engine, and the HTML page in a real browser. */
class MnistReportsTest {

    /** Which model the fixture attacks: the shipped one, or one trained for one epoch on 2,000 images. */
    static volatile boolean weak;

    @AfterEach
    void shipped() {
        weak = false;
    }

    @AdversarialDefaults(samples = 1000, seed = 11)
    static class MnistBaselineTestCase {
        @ModelUnderTest
        static MultiLayerNetwork model() throws IOException {
            if (!weak) {
                return ReferenceMlp.loadShipped();
            }
            MultiLayerNetwork network = ReferenceMlp.create(5);
            MnistTraining.train(network, MnistData.train().stratifiedSample(2000, 5), 1, 32, 5, (e, l, s) -> { });
            return network;
        }

        @TestData
        static LabelledDataset test() throws IOException {
            return MnistData.test();
        }

        @AdversarialTest(epsilon = {0.02, 0.05}, attack = {AttackKind.FGSM, AttackKind.PGD})
        void robustness() {
        }
    }

    private static EngineExecutionResults run(Path dir, boolean update) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(MnistBaselineTestCase.class))
                .configurationParameter(AdversarialTest.REPORTS_DIRECTORY_PROPERTY, dir.resolve("reports").toString())
                .configurationParameter(AdversarialTest.BASELINE_FILE_PROPERTY, dir.resolve("baseline.json").toString())
                .configurationParameter(AdversarialTest.BASELINE_UPDATE_PROPERTY, String.valueOf(update))
                .execute();
    }

    @Test
    void aWeakerModelRegressesAgainstTheShippedModelsBaseline(@TempDir Path dir) {
        EngineExecutionResults recorded = run(dir, true);
        assertThat(recorded.allEvents().failed().stream().map(e -> String.valueOf(e.getPayload(TestExecutionResult.class)
                .flatMap(TestExecutionResult::getThrowable).orElse(null))).toList()).isEmpty();
        recorded.testEvents().assertStatistics(stats -> stats.succeeded(4));
        weak = true;

        EngineExecutionResults results = run(dir, false);

        List<String> messages = results.testEvents().failed().stream()
                .map(e -> e.getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow().getMessage())
                .toList();
        assertThat(messages).isNotEmpty().allSatisfy(m -> assertThat(m)
                .startsWith("Robustness regression in MnistBaselineTestCase.robustness(): ")
                .containsPattern("(?m)^  (FGSM|PGD) ε=0\\.02 +0\\.02 +\\d+\\.\\d\\d% +\\d+\\.\\d\\d% +-\\d+\\.\\d\\d pp  REGRESSION$")
                .contains("model changed: baseline parameters sha256 3cdc7f5b3eba479a415c82d69aaf7023f48f15817a5d92af8b54538d964f9dfe"));
    }

    @Test
    void theHtmlReportShowsChartsAndExampleImagesAndRendersInABrowser(@TempDir Path dir) throws Exception {
        run(dir, false);
        Path page = dir.resolve("reports").resolve(HtmlSummary.FILE_NAME);
        String html = Files.readString(page);
        assertThat(html).contains("MnistBaselineTestCase", "robustness()", "FGSM ε=0.02", "PGD ε=0.05",
                "clean (top) and adversarial (bottom)");
        // one chart for the test method and one example grid per invocation
        assertThat(html.split("src=\"data:image/png;base64,", -1)).hasSize(1 + 1 + 4);
        try (var grids = Files.list(dir.resolve("reports").resolve("examples"))) {
            assertThat(grids).hasSize(4);
        }
        BufferedImage grid = ImageIO.read(dir.resolve("reports/examples/MnistReportsTest.MnistBaselineTestCase.robustness_.FGSM_0.02.png").toFile());
        assertThat(grid.getWidth()).isGreaterThan(8 * 28 * 4);

        Path screenshot = HeadlessChromium.screenshot(page, dir.resolve("screenshot.png"));
        BufferedImage shot = ImageIO.read(screenshot.toFile());
        assertThat(shot.getWidth()).isEqualTo(1200);
        assertThat(distinctColours(shot)).as("a rendered page, not a blank one").isGreaterThan(50);
    }

    private static int distinctColours(BufferedImage image) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }

    /**
     * Debian's Chromium, headless, as this machine's browser tests run it. Where it is missing the check is skipped,
     * except under CI ({@code CI=true}, which {@code .ci/run} sets), where a browser check that does not run fails.
     */
    static final class HeadlessChromium {

        static final Path BINARY = Path.of(System.getProperty("mnist.chromium", "/usr/bin/chromium"));

        static Path screenshot(Path page, Path png) throws IOException, InterruptedException {
            String missing = "no Chromium at " + BINARY + " (install Debian's chromium package, or set "
                    + "-Dmnist.chromium=PATH)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                assertThat(Files.isExecutable(BINARY)).as(missing + "; under CI the browser check must run").isTrue();
            }
            assumeTrue(Files.isExecutable(BINARY), missing + "; the browser check of the HTML report is skipped");
            Path profile = Files.createTempDirectory(png.getParent(), "chromium-profile");
            Process process = new ProcessBuilder(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                    "--user-data-dir=" + profile, "--window-size=1200,2000", "--screenshot=" + png.toAbsolutePath(),
                    page.toUri().toString()).redirectErrorStream(true).redirectOutput(png.getParent().resolve("chromium.log").toFile())
                    .start();
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("Chromium finished").isTrue();
            assertThat(png).as(Files.readString(png.getParent().resolve("chromium.log"))).isRegularFile();
            return png;
        }
    }
}
