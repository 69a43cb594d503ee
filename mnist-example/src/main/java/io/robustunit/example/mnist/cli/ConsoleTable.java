package io.robustunit.example.mnist.cli;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** The CLI's console tables: a left-aligned first column, the others right-aligned, two spaces apart. */
final class ConsoleTable {

    private final List<List<String>> rows = new ArrayList<>();

    ConsoleTable(String... headers) {
        rows.add(List.of(headers));
    }

    ConsoleTable row(Object... cells) {
        if (cells.length != rows.get(0).size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + rows.get(0).size() + " columns");
        }
        rows.add(Arrays.stream(cells).map(String::valueOf).toList());
        return this;
    }

    String render() {
        int[] widths = IntStream.range(0, rows.get(0).size())
                .map(c -> rows.stream().mapToInt(r -> r.get(c).length()).max().orElse(0)).toArray();
        return rows.stream().map(r -> IntStream.range(0, r.size())
                        .mapToObj(c -> c == 0 ? pad(r.get(c), widths[c], false) : pad(r.get(c), widths[c], true))
                        .collect(Collectors.joining("  ")).stripTrailing())
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private static String pad(String text, int width, boolean right) {
        String fill = " ".repeat(width - text.length());
        return right ? fill + text : text + fill;
    }

    /** @return e.g. {@code 97.85%}, or {@code n/a} for NaN */
    static String percent(double fraction) {
        return Double.isNaN(fraction) ? "n/a" : String.format(Locale.ROOT, "%.2f%%", 100 * fraction);
    }

    /** @return the shortest decimal form, e.g. {@code 0.05} */
    static String number(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
