package io.robustunit.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.ArrayList;
import java.util.List;

import org.apiguardian.api.API;

/**
 * An aligned plain-text table for consoles and failure messages. Columns are right-aligned except the
 * first and those named by {@link #leftAligned}; every row must have as many cells as there are headers.
 * <pre>{@code
 * TextTable t = new TextTable("ε", "accuracy");
 * t.row("0.05", "59.0%");
 * String text = t.render("  ");
 * }</pre>
 */
@API(status = INTERNAL, since = "0.1")
public final class TextTable {

    private final List<String[]> rows = new ArrayList<>();
    private final int columns;
    private final boolean[] left;

    /**
     * @param headers the column headers
     */
    public TextTable(String... headers) {
        this.columns = headers.length;
        this.left = new boolean[headers.length];
        if (headers.length > 0) {
            left[0] = true;
        }
        rows.add(headers.clone());
    }

    /**
     * @param indices columns to align left
     * @return this table
     */
    public TextTable leftAligned(int... indices) {
        for (int i : indices) {
            left[i] = true;
        }
        return this;
    }

    /** @return the table without its header line, each line ending in a newline */
    public String renderBody(String indent) {
        String all = render(indent);
        return all.substring(all.indexOf('\n') + 1);
    }

    /**
     * @param cells one cell per column
     * @return this table
     */
    public TextTable row(Object... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException("expected " + columns + " cells but got " + cells.length);
        }
        String[] text = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            text[i] = String.valueOf(cells[i]);
        }
        rows.add(text);
        return this;
    }

    /**
     * @param indent text put before every line
     * @return the table, one line per row, header first, each line ending in a newline
     */
    public String render(String indent) {
        int[] width = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], row[c].codePointCount(0, row[c].length()));
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int c = 0; c < columns; c++) {
                String pad = " ".repeat(width[c] - row[c].codePointCount(0, row[c].length()));
                line.append(left[c] ? row[c] + pad : pad + row[c]);
                if (c < columns - 1) {
                    line.append("  ");
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return render("");
    }

    /**
     * @param fraction a value in {@code [0, 1]}, or NaN
     * @return it as a percentage with two decimals, e.g. {@code 97.81%}, or {@code n/a}
     */
    public static String percent(double fraction) {
        return Double.isNaN(fraction) ? "n/a" : String.format(java.util.Locale.ROOT, "%.2f%%", 100 * fraction);
    }
}
