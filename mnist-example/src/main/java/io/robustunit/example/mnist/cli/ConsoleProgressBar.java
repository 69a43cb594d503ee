package io.robustunit.example.mnist.cli;

import java.io.PrintWriter;

/**
 * A one-line progress bar redrawn with a carriage return, shown only on a terminal so that logs and
 * pipes stay clean.
 */
final class ConsoleProgressBar {

    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final boolean enabled;
    private int lastPercent = -1;

    ConsoleProgressBar(PrintWriter out, boolean enabled) {
        this.out = out;
        this.enabled = enabled;
    }

    static ConsoleProgressBar forTerminal(PrintWriter out) {
        return new ConsoleProgressBar(out, System.console() != null);
    }

    void update(String label, int done, int total) {
        if (!enabled) {
            return;
        }
        int percent = (int) (100L * done / total);
        if (percent == lastPercent) {
            return;
        }
        lastPercent = percent;
        int filled = WIDTH * percent / 100;
        out.print("\r" + label + " [" + "=".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + percent + "% "
                + done + "/" + total);
        out.flush();
    }

    void clear() {
        if (enabled && lastPercent >= 0) {
            out.print("\r" + " ".repeat(WIDTH + 60) + "\r");
            out.flush();
        }
        lastPercent = -1;
    }
}
