package io.robustunit.example.mnist.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

import io.robustunit.attack.Attacks;
import io.robustunit.data.LabelledDataset;
import io.robustunit.model.DifferentiableClassifier;

/** One test image under FGSM at each ε: the prediction, its confidence, and optionally the pictures. */
final class ExampleView {

    private static final int SCALE = 8;

    private final DifferentiableClassifier model;
    private final LabelledDataset image;

    ExampleView(DifferentiableClassifier model, LabelledDataset test, int index) {
        if (index >= test.size()) {
            throw new IllegalArgumentException("--example must be below " + test.size() + " but was " + index);
        }
        this.model = model;
        this.image = test.slice(index, index + 1).withName(test.name() + " #" + index);
    }

    void print(PrintWriter out, List<Double> epsilons, Path pngDir) throws IOException {
        out.printf(Locale.ROOT, "%n%s, true label %d%n", image.name(), image.label(0));
        ConsoleTable table = new ConsoleTable("ε", "prediction", "confidence", "png");
        for (double eps : epsilons) {
            float[] x = eps == 0 ? image.features() : Attacks.fgsm(eps).generate(model, image);
            float[] p = new float[model.numClasses()];
            model.probabilities(x, 0, 1, p);
            int best = 0;
            for (int k = 1; k < p.length; k++) {
                best = p[k] > p[best] ? k : best;
            }
            String png = pngDir == null ? "-" : write(x, pngDir.resolve("example-eps" + ConsoleTable.number(eps) + ".png"));
            table.row(ConsoleTable.number(eps), best, ConsoleTable.percent(p[best]), png);
        }
        out.print(table.render());
    }

    private static String write(float[] pixels, Path file) throws IOException {
        int side = (int) Math.round(Math.sqrt(pixels.length));
        BufferedImage img = new BufferedImage(side * SCALE, side * SCALE, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < side * SCALE; y++) {
            for (int x = 0; x < side * SCALE; x++) {
                int v = Math.round(255 * pixels[(y / SCALE) * side + x / SCALE]);
                img.getRaster().setSample(x, y, 0, v);
            }
        }
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        if (!ImageIO.write(img, "png", png)) {
            throw new IOException("no PNG writer available");
        }
        java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
        java.nio.file.Files.write(file, png.toByteArray());
        return file.toString();
    }
}
