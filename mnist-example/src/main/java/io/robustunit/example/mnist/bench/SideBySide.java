package io.robustunit.example.mnist.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.deeplearning4j.nn.api.Model;

import io.robustunit.attack.Attack;
import io.robustunit.attack.Attacks;
import io.robustunit.data.InputRange;
import io.robustunit.data.LabelledDataset;
import io.robustunit.example.mnist.MnistData;
import io.robustunit.example.mnist.peer.NpyArrays;
import io.robustunit.example.mnist.peer.PeerCnns;
import io.robustunit.example.mnist.peer.PeerWeights;
import io.robustunit.model.DifferentiableClassifier;
import io.robustunit.model.dl4j.Dl4jModels;
import io.robustunit.training.AdversarialTrainer;
import io.robustunit.training.TrainingReport;

/**
 * RobustUnit's side of {@code benchmarks/run.sh}: the same measurements as {@code benchmarks/bench_peer.py} makes
 * for PyTorch, on the same weights and inputs, written as JSON in the same schema.
 *
 * <pre>
 * java -cp robustunit-mnist.jar io.robustunit.example.mnist.bench.SideBySide --model lenet --attack fgsm \
 *     --batch-sizes 1,100,1000 --images 2000 --passes 3 --weights-dir DIR --json-out FILE
 * java -cp robustunit-mnist.jar io.robustunit.example.mnist.bench.SideBySide --model mlp --adv-train-epochs 1 ...
 * </pre>
 *
 * <ul>
 *   <li>{@code mlp}: the PyTorch reference MLP's {@code W1/b1/W2/b2.npy}; {@code lenet}, {@code resnet20}: the
 *       {@code .npy} state of {@code cnn_peer.py}, loaded into the DL4J networks of {@link PeerCnns}.</li>
 *   <li>The MLP and LeNet attack the first {@code --images} MNIST test images; ResNet-20 its eight saved inputs,
 *       tiled, with labels {@code i mod 10}.</li>
 *   <li>FGSM is untargeted L∞ at ε = 0.1; PGD-20 takes 20 steps of 2.5·ε/20 from the clean input; {@code auto} is
 *       the AutoAttack ensemble (APGD-CE, APGD-T, Square) with seed 42, which PyTorch's side does not run. Only attack
 *       generation is timed. One untimed pass warms the JIT up, then {@code --passes} passes are timed and the best
 *       is reported with all of them.</li>
 *   <li>{@code --adv-train-epochs N} times N epochs of FGSM adversarial training instead (ε = 0.1, α = 0.5, batch
 *       64, on the 60,000 training images): the time of each epoch's minibatches, adversarial generation
 *       included, without the held-out check that follows each epoch.</li>
 * </ul>
 */
public final class SideBySide {

    private static final double EPSILON = 0.1;

    private SideBySide() {
    }

    /**
     * @param args the options above
     * @throws IOException if the weights, the data or the output cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        Map<String, String> options = options(args);
        String model = require(options, "--model", "mlp", "lenet", "resnet20");
        Path weights = Path.of(options.getOrDefault("--weights-dir", defaultWeights(model)));
        Path out = Path.of(require(options, "--json-out"));
        StringBuilder json = new StringBuilder();
        json.append("{\"side\": \"robustunit\", \"model\": \"").append(model).append("\", \"environment\": ")
                .append(environment()).append(", \"results\": [");
        int epochs = Integer.parseInt(options.getOrDefault("--adv-train-epochs", "0"));
        List<String> advTrain = new ArrayList<>();
        if (epochs > 0) {
            if (model.equals("resnet20")) {
                throw new IllegalArgumentException("--adv-train-epochs is for mlp and lenet, not resnet20");
            }
            Model network = load(model, weights);
            LabelledDataset train = MnistData.train();
            AdversarialTrainer trainer = AdversarialTrainer.fgsm(EPSILON).alpha(0.5).epochs(epochs).batchSize(64).seed(42);
            TrainingReport report = trainer.train(Dl4jModels.trainable(network), train, MnistData.test().slice(0, 1000),
                    r -> { });
            List<String> seconds = report.epochs().stream()
                    .map(e -> String.format(Locale.ROOT, "%.3f", e.seconds())).toList();
            System.err.printf(Locale.ROOT, "robustunit %s adversarial training: %s s per epoch%n", model, seconds);
            advTrain.add(String.format(Locale.ROOT, "{\"model\": \"%s\", \"epoch_seconds\": %s, \"batch\": 64, "
                    + "\"epsilon\": %s}", model, seconds, EPSILON));
        } else {
            String attackName = require(options, "--attack", "fgsm", "pgd20", "auto");
            int images = Integer.parseInt(options.getOrDefault("--images", defaultImages(model)));
            int passes = Integer.parseInt(options.getOrDefault("--passes", "3"));
            int[] batches = Arrays.stream(options.getOrDefault("--batch-sizes", "1,100,1000").split(","))
                    .mapToInt(Integer::parseInt).toArray();
            LabelledDataset data = data(model, weights, images);
            DifferentiableClassifier classifier = Dl4jModels.trainable(load(model, weights))
                    .classifier(data.featureCount());
            Attack attack = switch (attackName) {
                case "fgsm" -> Attacks.fgsm(EPSILON);
                case "pgd20" -> Attacks.pgd(EPSILON).withSteps(20).withStepSize(2.5 * EPSILON / 20);
                default -> Attacks.auto(EPSILON).withSeed(42);
            };
            // LabelledDataset.features() and labels() return copies: taken once, outside the timed passes
            float[] features = data.features();
            int[] labels = data.labels();
            List<String> results = new ArrayList<>();
            for (int batch : batches) {
                double[] seconds = new double[passes];
                float[] adversarial = new float[features.length];
                attackAll(attack, classifier, features, labels, batch, adversarial);
                for (int p = 0; p < passes; p++) {
                    long start = System.nanoTime();
                    attackAll(attack, classifier, features, labels, batch, adversarial);
                    seconds[p] = (System.nanoTime() - start) / 1e9;
                }
                double best = Arrays.stream(seconds).min().orElseThrow();
                System.err.printf(Locale.ROOT, "robustunit %s %s batch %d: %.0f images/s (%s)%n", model, attackName,
                        batch, images / best, classifier.description());
                results.add(String.format(Locale.ROOT, "{\"model\": \"%s\", \"attack\": \"%s\", \"batch\": %d, "
                        + "\"images\": %d, \"best_images_per_s\": %.1f, \"pass_seconds\": %s}", model, attackName, batch,
                        images, images / best, Arrays.toString(Arrays.stream(seconds)
                                .mapToObj(s -> String.format(Locale.ROOT, "%.4f", s)).toArray())));
            }
            json.append(String.join(", ", results));
        }
        json.append("], \"adv_train\": [").append(String.join(", ", advTrain)).append("], \"peak_rss_kib\": ")
                .append(peakRssKib()).append("}\n");
        Files.writeString(out, json.toString());
    }

    private static void attackAll(Attack attack, DifferentiableClassifier model, float[] features, int[] labels,
                                  int batch, float[] adversarial) {
        for (int from = 0; from < labels.length; from += batch) {
            attack.generate(model, features, labels, from, Math.min(batch, labels.length - from), adversarial);
        }
    }

    private static Model load(String model, Path weights) throws IOException {
        return switch (model) {
            case "mlp" -> PeerWeights.load(weights);
            case "lenet" -> PeerCnns.lenet(weights);
            default -> PeerCnns.resnet20(weights);
        };
    }

    private static LabelledDataset data(String model, Path weights, int images) throws IOException {
        if (!model.equals("resnet20")) {
            return MnistData.test().slice(0, images);
        }
        float[] eight = NpyArrays.read(weights.resolve("inputs.npy")).values();
        int size = eight.length / 8;
        float[] x = new float[images * size];
        int[] y = new int[images];
        for (int i = 0; i < images; i++) {
            System.arraycopy(eight, (i % 8) * size, x, i * size, size);
            y[i] = i % 10;
        }
        return LabelledDataset.of("ResNet-20 inputs", x, y, size, 10, InputRange.UNIT);
    }

    private static String defaultWeights(String model) {
        return switch (model) {
            case "mlp" -> "mnist-example/src/test/resources/peer";
            case "lenet" -> "mnist-example/src/test/resources/peer/cnn/lenet";
            default -> "mnist-example/src/test/resources/peer/cnn/resnet20";
        };
    }

    private static String defaultImages(String model) {
        return switch (model) {
            case "mlp" -> "10000";
            case "lenet" -> "2000";
            default -> "500";
        };
    }

    private static String environment() {
        Map<String, String> env = new TreeMap<>();
        System.getenv().forEach((k, v) -> {
            if (k.startsWith("OMP_") || k.startsWith("OPENBLAS_") || k.startsWith("MKL_")) {
                env.put(k, v);
            }
        });
        StringBuilder s = new StringBuilder("{\"java_version\": \"").append(System.getProperty("java.vm.name"))
                .append(' ').append(System.getProperty("java.version")).append("\", \"available_processors\": ")
                .append(Runtime.getRuntime().availableProcessors()).append(", \"max_heap_mib\": ")
                .append(Runtime.getRuntime().maxMemory() >> 20).append(", \"env\": {");
        List<String> entries = new ArrayList<>();
        env.forEach((k, v) -> entries.add("\"" + k + "\": \"" + v.replace("\"", "'") + "\""));
        return s.append(String.join(", ", entries)).append("}}").toString();
    }

    private static long peakRssKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new TreeMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                throw new IllegalArgumentException("expected --option value pairs but got " + Arrays.toString(args));
            }
            options.put(args[i], args[++i]);
        }
        return options;
    }

    private static String require(Map<String, String> options, String name, String... allowed) {
        String value = options.get(name);
        if (value == null || (allowed.length > 0 && !Arrays.asList(allowed).contains(value))) {
            throw new IllegalArgumentException(name + " must be " + (allowed.length > 0 ? "one of "
                    + Arrays.toString(allowed) : "given") + " but was " + value);
        }
        return value;
    }
}
