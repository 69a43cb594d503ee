package io.robustunit.example.mnist.cli;

/** Formats seconds for progress lines. */
final class Durations {

    private Durations() {
    }

    static String format(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return String.format(java.util.Locale.ROOT, "%.1fs", seconds);
        }
        return s >= 3600 ? String.format("%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60)
                : String.format("%dm%02ds", s / 60, s % 60);
    }
}
