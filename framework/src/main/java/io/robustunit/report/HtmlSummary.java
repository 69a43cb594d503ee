package io.robustunit.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apiguardian.api.API;

import io.robustunit.health.HealthCheck;

/**
 * The run's HTML summary: one self-contained page (styles inline, images as data URIs, no scripts, fonts or
 * remote resources) with, per test class, an accuracy-vs-ε chart per test, the metrics and per-class tables,
 * and grids of original vs adversarial examples. The charts and grids are also written as PNG files.
 */
@API(status = INTERNAL, since = "0.1")
public final class HtmlSummary {

    /** The page's file name in the report directory. */
    public static final String FILE_NAME = "robustness-report.html";

    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em;color:#222;max-width:1100px}
            h1{font-size:1.6em}h2{font-size:1.3em;border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
            h3{font-size:1.1em;margin-top:1.5em}table{border-collapse:collapse;margin:.6em 0;font-size:.9em}
            th,td{border:1px solid #ddd;padding:.25em .6em;text-align:right}th{background:#f4f4f4}
            td:first-child,th:first-child{text-align:left}.failed{color:#b00;font-weight:bold}.passed{color:#070}
            .meta{color:#555;font-size:.9em}img{max-width:100%;border:1px solid #eee;margin:.3em 0}
            """;

    private HtmlSummary() {
    }

    /**
     * Writes the page and its PNG files into {@code directory}, each file atomically.
     *
     * @param directory the report directory
     * @param reports the run's class reports
     * @param generated when the run ended
     * @return the page's path
     * @throws IOException if a file cannot be written
     */
    public static Path write(Path directory, List<ClassReport> reports, Instant generated) throws IOException {
        StringBuilder html = new StringBuilder();
        int passed = 0;
        int failed = 0;
        for (ClassReport report : reports) {
            for (ResultRecord r : report.results()) {
                if ("passed".equals(r.status())) {
                    passed++;
                } else {
                    failed++;
                }
            }
        }
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>RobustUnit robustness report</title><style>").append(STYLE).append("</style></head><body>\n")
                .append("<h1>RobustUnit robustness report</h1>\n<p class=\"meta\">").append(escape(generated.toString()))
                .append(" · ").append(reports.size()).append(" test classes · ").append(passed).append(" passed · ")
                .append(failed).append(" failed</p>\n");
        for (ClassReport report : reports) {
            section(html, report, directory);
        }
        html.append("</body></html>\n");
        Path page = directory.resolve(FILE_NAME);
        AtomicFiles.writeString(page, html.toString());
        return page;
    }

    private static void section(StringBuilder html, ClassReport report, Path directory) throws IOException {
        html.append("<h2 id=\"").append(escape(report.testClass())).append("\">").append(escape(report.simpleName()))
                .append("</h2>\n<p class=\"meta\">model ").append(escape(report.modelName())).append(" (")
                .append(escape(report.modelDescription())).append(", parameters sha256 <code>")
                .append(escape(report.modelSha256())).append("</code>)<br>data ").append(escape(report.datasetName()))
                .append(": ").append(report.datasetSize()).append(" examples, ").append(report.features())
                .append(" features, ").append(report.classes()).append(" classes</p>\n");
        Map<String, List<ResultRecord>> byTest = new LinkedHashMap<>();
        for (ResultRecord r : report.results()) {
            byTest.computeIfAbsent(r.test(), t -> new ArrayList<>()).add(r);
        }
        for (Map.Entry<String, List<ResultRecord>> test : byTest.entrySet()) {
            String stem = fileStem(report.simpleName() + "." + test.getKey());
            html.append("<h3>").append(escape(test.getKey())).append("</h3>\n");
            byte[] chart = Charts.accuracyVersusEpsilon(report.simpleName() + "." + test.getKey(), test.getValue());
            AtomicFiles.write(directory.resolve("charts").resolve(stem + ".png"), chart);
            image(html, chart, "accuracy versus ε for " + test.getKey());
            metricsTable(html, test.getValue());
            healthTable(html, test.getValue());
            perClassTable(html, test.getValue(), report.classes());
            for (ExampleImages examples : report.examples()) {
                java.util.Optional<byte[]> png = examples.test().equals(test.getKey()) ? examples.png()
                        : java.util.Optional.empty();
                if (png.isPresent()) {
                    byte[] grid = png.get();
                    AtomicFiles.write(directory.resolve("examples")
                            .resolve(stem + "." + fileStem(examples.displayName()) + ".png"), grid);
                    html.append("<p class=\"meta\">").append(escape(examples.displayName()))
                            .append(": clean (top) and adversarial (bottom), prediction and confidence, wrong in red</p>\n");
                    image(html, grid, "examples under " + examples.displayName());
                }
            }
        }
    }

    private static void metricsTable(StringBuilder html, List<ResultRecord> results) {
        html.append("<table><tr><th>invocation</th><th>ε</th><th>samples</th><th>seed</th><th>clean</th>")
                .append("<th>adversarial</th><th>95% Wilson CI</th><th>drop</th><th>attack success</th>")
                .append("<th>attack s</th><th>status</th><th>baseline</th></tr>\n");
        for (ResultRecord r : results) {
            html.append("<tr><td>").append(escape(r.displayName())).append("</td><td>").append(r.epsilon())
                    .append("</td><td>").append(r.samples()).append("</td><td>").append(r.seed()).append("</td><td>")
                    .append(TextTable.percent(r.cleanAccuracy())).append("</td><td>")
                    .append(TextTable.percent(r.adversarialAccuracy())).append("</td><td>[")
                    .append(TextTable.percent(r.adversarialLower())).append(", ")
                    .append(TextTable.percent(r.adversarialUpper())).append("]</td><td>")
                    .append(String.format(Locale.ROOT, "%.2f pp", 100 * r.accuracyDrop())).append("</td><td>")
                    .append(TextTable.percent(r.attackSuccessRate())).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.3f", r.attackSeconds())).append("</td><td class=\"")
                    .append("passed".equals(r.status()) ? "passed" : "failed").append("\">").append(escape(r.status()))
                    .append("</td><td>").append(escape(baseline(r.baseline()))).append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    /** One row per check, one column per invocation; the details of every warning below. */
    private static void healthTable(StringBuilder html, List<ResultRecord> results) {
        html.append("<table><tr><th>evaluation health</th>");
        for (ResultRecord r : results) {
            html.append("<th>").append(escape(r.displayName())).append("</th>");
        }
        html.append("</tr>\n");
        List<String> names = results.get(0).health().stream().map(HealthCheck::name).toList();
        List<String> warnings = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            html.append("<tr><td>").append(escape(names.get(i))).append("</td>");
            for (ResultRecord r : results) {
                HealthCheck c = i < r.health().size() ? r.health().get(i) : null;
                if (c == null) {
                    html.append("<td></td>");
                    continue;
                }
                html.append("<td").append(c.warns() ? " class=\"failed\"" : "").append(" title=\"")
                        .append(escape(c.detail())).append("\">").append(status(c.status())).append("</td>");
                if (c.warns()) {
                    warnings.add(r.displayName() + ", " + c.name() + ": " + c.detail());
                }
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
        if (!warnings.isEmpty()) {
            html.append("<ul class=\"meta\">");
            for (String w : warnings) {
                html.append("<li>").append(escape(w)).append("</li>");
            }
            html.append("</ul>\n");
        }
    }

    private static String status(HealthCheck.Status status) {
        return switch (status) {
            case PASSED -> "ok";
            case WARNING -> "WARNING";
            case NOT_APPLICABLE -> "n/a";
        };
    }

    private static String baseline(BaselineVerdict verdict) {
        return verdict.verdict() + (Double.isNaN(verdict.baselineAccuracy()) ? ""
                : " (" + TextTable.percent(verdict.baselineAccuracy()) + ")") + (verdict.modelChanged() ? ", model changed"
                : "");
    }

    private static void perClassTable(StringBuilder html, List<ResultRecord> results, int classes) {
        html.append("<table><tr><th>per-class accuracy</th>");
        for (int c = 0; c < classes; c++) {
            html.append("<th>").append(c).append("</th>");
        }
        html.append("</tr>\n<tr><td>clean</td>");
        for (double v : results.get(0).perClassClean()) {
            html.append("<td>").append(TextTable.percent(v)).append("</td>");
        }
        html.append("</tr>\n");
        for (ResultRecord r : results) {
            html.append("<tr><td>").append(escape(r.displayName())).append("</td>");
            for (double v : r.perClassAdversarial()) {
                html.append("<td>").append(TextTable.percent(v)).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    private static void image(StringBuilder html, byte[] png, String alt) {
        html.append("<img alt=\"").append(escape(alt)).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\">\n");
    }

    /**
     * @param text any name
     * @return it with every run of characters other than letters, digits, dots, dashes and underscores
     *         replaced by one underscore, for use in file names
     */
    public static String fileStem(String text) {
        return text.replaceAll("[^A-Za-z0-9._-]+", "_").replaceAll("_+", "_");
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
