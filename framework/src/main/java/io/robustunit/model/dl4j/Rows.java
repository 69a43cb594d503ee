package io.robustunit.model.dl4j;

/** Bounds checks shared by the classifier adapters. */
final class Rows {

    private Rows() {
    }

    static void check(float[] array, int width, int from, int count, String name) {
        if (from < 0 || count < 0) {
            throw new IllegalArgumentException("rows [" + from + ", " + from + " + " + count + ") are invalid");
        }
        long needed = ((long) from + count) * width;
        if (array.length < needed) {
            throw new IllegalArgumentException(name + " has " + array.length + " values but rows [" + from + ", "
                    + (from + count) + ") of width " + width + " need " + needed);
        }
    }

    static void checkLabels(int[] labels, int numClasses, int from, int count) {
        if (labels.length < from + count) {
            throw new IllegalArgumentException("labels has " + labels.length + " entries but rows [" + from + ", "
                    + (from + count) + ") are requested");
        }
        for (int i = from; i < from + count; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("label of example " + i + " is " + labels[i]
                        + "; labels must be in [0, " + numClasses + ")");
            }
        }
    }
}
