package io.robustunit.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Accuracy-vs-ε charts, drawn with JFreeChart and encoded as PNG. */
final class Charts {

    private static final int WIDTH = 640;
    private static final int HEIGHT = 360;

    private Charts() {
    }

    /**
     * One line per attack: adversarial accuracy at each ε of one test method, starting from its clean
     * accuracy at ε = 0.
     *
     * @return the chart as PNG bytes
     */
    static byte[] accuracyVersusEpsilon(String title, List<ResultRecord> results) {
        Map<String, XYSeries> series = new LinkedHashMap<>();
        for (ResultRecord r : results) {
            String name = r.attack().getOrDefault("attack", "?") + seriesDetails(r);
            XYSeries s = series.computeIfAbsent(name, n -> {
                XYSeries created = new XYSeries(n);
                created.add(0.0, 100 * r.cleanAccuracy());
                return created;
            });
            s.add(r.epsilon(), 100 * r.adversarialAccuracy());
        }
        XYSeriesCollection data = new XYSeriesCollection();
        series.values().forEach(data::addSeries);
        JFreeChart chart = ChartFactory.createXYLineChart(title, "ε", "accuracy (%)", data, PlotOrientation.VERTICAL,
                true, false, false);
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        NumberAxis range = (NumberAxis) plot.getRangeAxis();
        range.setRange(0, 100);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        plot.setRenderer(renderer);
        return png(chart.createBufferedImage(WIDTH, HEIGHT));
    }

    private static String seriesDetails(ResultRecord r) {
        String norm = r.attack().getOrDefault("norm", "");
        String targeted = r.attack().getOrDefault("targeted", "no");
        return ("L2".equals(norm) ? " L2" : "") + ("no".equals(targeted) ? "" : " targeted: " + targeted);
    }

    static byte[] png(BufferedImage image) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ChartUtils.writeBufferedImageAsPNG(out, image);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a PNG", e);
        }
    }
}
