package io.robustunit.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Locale;

/**
 * A grid of examples like the tutorial's figures: clean inputs on the top row, their adversarial versions
 * below, each captioned with the prediction and its confidence, wrong ones in red. Inputs must be square
 * images (e.g. 784 = 28 × 28 features); other inputs have no picture.
 */
final class ExampleGrid {

    private static final int SCALE = 4;
    private static final int CAPTION = 30;
    private static final int GAP = 8;
    private static final Color WRONG = new Color(200, 30, 30);

    private ExampleGrid() {
    }

    /** @return whether inputs of this many features can be drawn */
    static boolean drawable(int features) {
        int side = (int) Math.round(Math.sqrt(features));
        return side * side == features && side >= 4;
    }

    /** @return the grid as PNG bytes */
    static byte[] render(ExampleImages examples) {
        int side = (int) Math.round(Math.sqrt(examples.clean()[0].length));
        int cell = side * SCALE;
        int columns = examples.size();
        int width = GAP + columns * (cell + GAP);
        int height = 2 * (cell + CAPTION + GAP) + GAP;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            for (int i = 0; i < columns; i++) {
                int x = GAP + i * (cell + GAP);
                drawImage(image, examples.clean()[i], x, GAP, side, examples.range());
                caption(g, "true " + examples.labels()[i], x, GAP + cell + 12, Color.BLACK);
                caption(g, "→ " + examples.cleanPredictions()[i] + " " + percent(examples.cleanConfidence()[i]), x,
                        GAP + cell + 25, examples.cleanPredictions()[i] == examples.labels()[i] ? Color.BLACK : WRONG);
                int y = 2 * GAP + cell + CAPTION;
                drawImage(image, examples.adversarial()[i], x, y, side, examples.range());
                caption(g, "#" + examples.indices()[i], x, y + cell + 12, Color.DARK_GRAY);
                caption(g, "→ " + examples.adversarialPredictions()[i] + " " + percent(examples.adversarialConfidence()[i]),
                        x, y + cell + 25,
                        examples.adversarialPredictions()[i] == examples.labels()[i] ? Color.BLACK : WRONG);
            }
        } finally {
            g.dispose();
        }
        return Charts.png(image);
    }

    private static void drawImage(BufferedImage image, float[] pixels, int x0, int y0, int side, float[] range) {
        float lo = range[0];
        float span = range[1] - range[0];
        for (int y = 0; y < side * SCALE; y++) {
            for (int x = 0; x < side * SCALE; x++) {
                float v = (pixels[(y / SCALE) * side + x / SCALE] - lo) / span;
                int grey = Math.round(255 * Math.min(1f, Math.max(0f, v)));
                image.setRGB(x0 + x, y0 + y, grey << 16 | grey << 8 | grey);
            }
        }
    }

    private static void caption(Graphics2D g, String text, int x, int y, Color color) {
        g.setColor(color);
        g.drawString(text, x, y);
    }

    private static String percent(float p) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * p);
    }
}
