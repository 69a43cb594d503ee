package io.robustunit.data;

import static org.apiguardian.api.API.Status.STABLE;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

import org.apiguardian.api.API;

/**
 * An immutable set of labelled examples: {@code size} rows of {@code featureCount} float features in
 * row-major order, each within a declared {@link InputRange}, and one int label per row in
 * {@code [0, numClasses)}. Everything is validated on construction, so code that receives a dataset
 * can rely on it.
 */
@API(status = STABLE, since = "0.1")
public final class LabelledDataset {

    private final String name;
    private final float[] features;
    private final int[] labels;
    private final int featureCount;
    private final int numClasses;
    private final InputRange range;

    private LabelledDataset(String name, float[] features, int[] labels, int featureCount, int numClasses,
                            InputRange range) {
        this.name = name;
        this.features = features;
        this.labels = labels;
        this.featureCount = featureCount;
        this.numClasses = numClasses;
        this.range = range;
    }

    /**
     * Creates a dataset from copies of the given arrays.
     *
     * @param name a short description used in reports, e.g. {@code "MNIST test"}
     * @param features {@code labels.length * featureCount} values in row-major order
     * @param labels one label per example
     * @param featureCount the number of features per example
     * @param numClasses the number of classes
     * @param range the interval every feature must lie in
     * @return the dataset
     * @throws IllegalArgumentException naming the offending value if there are no examples, the shapes
     *         disagree, a feature is NaN, infinite or outside {@code range}, or a label is outside
     *         {@code [0, numClasses)}
     */
    public static LabelledDataset of(String name, float[] features, int[] labels, int featureCount, int numClasses,
                                     InputRange range) {
        return create(name, features.clone(), labels.clone(), featureCount, numClasses, range);
    }

    /**
     * Reads a dataset from an IDX image file and an IDX label file, as MNIST and Fashion-MNIST ship them.
     * Unsigned-byte images are scaled by 1/255 into {@code [0, 1]}; the number of classes is the largest
     * label plus one.
     *
     * @param images the IDX file of images, {@code [N, ...]}
     * @param labels the IDX file of labels, {@code [N]}
     * @return the dataset, named after the image file
     * @throws IdxFormatException if either file is missing or invalid, or they disagree on {@code N}
     */
    public static LabelledDataset fromIdx(Path images, Path labels) throws IdxFormatException {
        return fromIdx(IdxArray.read(images), IdxArray.read(labels), String.valueOf(images.getFileName()), 0);
    }

    /**
     * Builds a dataset from IDX contents already read. Unsigned-byte images are scaled by 1/255 into
     * {@code [0, 1]}; other element types are used as they are and must lie in {@code [0, 1]}.
     *
     * @param images the images, {@code [N, ...]}
     * @param labels the labels, {@code [N]}
     * @param name a short description used in reports
     * @param numClasses the number of classes, or 0 to use the largest label plus one
     * @return the dataset
     * @throws IdxFormatException if the files disagree on {@code N}, labels are not one-dimensional whole
     *         numbers, or a label is out of range
     */
    public static LabelledDataset fromIdx(IdxArray images, IdxArray labels, String name, int numClasses)
            throws IdxFormatException {
        if (labels.dimensions().length != 1) {
            throw new IdxFormatException(labels.source(), "labels must have 1 dimension but have "
                    + Arrays.toString(labels.dimensions()));
        }
        if (images.count() != labels.count()) {
            throw new IdxFormatException(images.source(), "holds " + images.count() + " images but "
                    + labels.source() + " holds " + labels.count() + " labels");
        }
        int[] y = labels.toInts();
        int classes = numClasses > 0 ? numClasses : Arrays.stream(y).max().orElse(0) + 1;
        for (int i = 0; i < y.length; i++) {
            if (y[i] < 0 || y[i] >= classes) {
                throw new IdxFormatException(labels.source(), "label " + i + " is " + y[i]
                        + ", outside [0, " + classes + ")");
            }
        }
        float divisor = images.type() == IdxType.UNSIGNED_BYTE ? 255f : 1f;
        try {
            return create(name, images.toFloats(divisor), y, images.itemSize(), classes, InputRange.UNIT);
        } catch (IllegalArgumentException e) {
            throw new IdxFormatException(images.source(), e.getMessage(), e);
        }
    }

    private static LabelledDataset create(String name, float[] features, int[] labels, int featureCount,
                                          int numClasses, InputRange range) {
        if (labels.length == 0) {
            throw new IllegalArgumentException("dataset '" + name + "' has no examples; a dataset needs at least one");
        }
        if (featureCount < 1) {
            throw new IllegalArgumentException("featureCount must be at least 1 but was " + featureCount);
        }
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses must be at least 2 but was " + numClasses);
        }
        if ((long) labels.length * featureCount != features.length) {
            throw new IllegalArgumentException("features must hold " + labels.length + " examples x " + featureCount
                    + " features = " + (long) labels.length * featureCount + " values but holds " + features.length);
        }
        checkFeatures(features, featureCount, range);
        checkLabels(labels, numClasses);
        return new LabelledDataset(name, features, labels, featureCount, numClasses, range);
    }

    static void checkFeatures(float[] features, int featureCount, InputRange range) {
        float lo = range.lower();
        float hi = range.upper();
        for (int i = 0; i < features.length; i++) {
            float v = features[i];
            if (!(v >= lo && v <= hi)) {
                throw new IllegalArgumentException("feature " + (i % featureCount) + " of example " + (i / featureCount)
                        + " is " + v + "; features must be finite and within " + range);
            }
        }
    }

    static void checkLabels(int[] labels, int numClasses) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("label of example " + i + " is " + labels[i]
                        + "; labels must be in [0, " + numClasses + ")");
            }
        }
    }

    /** @return the short description used in reports */
    public String name() {
        return name;
    }

    /** @return the number of examples */
    public int size() {
        return labels.length;
    }

    /** @return the number of features per example */
    public int featureCount() {
        return featureCount;
    }

    /** @return the number of classes */
    public int numClasses() {
        return numClasses;
    }

    /** @return the interval every feature lies in */
    public InputRange range() {
        return range;
    }

    /**
     * @param example the example index
     * @return its label
     */
    public int label(int example) {
        return labels[example];
    }

    /** @return a copy of all labels */
    public int[] labels() {
        return labels.clone();
    }

    /**
     * @param example the example index
     * @param feature the feature index
     * @return the feature value
     */
    public float feature(int example, int feature) {
        if (feature < 0 || feature >= featureCount) {
            throw new IndexOutOfBoundsException("feature " + feature + " outside [0, " + featureCount + ")");
        }
        return features[example * featureCount + feature];
    }

    /** @return a copy of all features, {@code size() * featureCount()} values in row-major order */
    public float[] features() {
        return features.clone();
    }

    /**
     * Copies the features of examples {@code [from, from + count)} into {@code dest}.
     *
     * @param from the first example
     * @param count the number of examples
     * @param dest the destination
     * @param destPos the position in {@code dest} of the first value
     */
    public void copyFeatures(int from, int count, float[] dest, int destPos) {
        System.arraycopy(features, from * featureCount, dest, destPos, count * featureCount);
    }

    /** @return the number of examples of each class */
    public int[] classCounts() {
        int[] counts = new int[numClasses];
        for (int y : labels) {
            counts[y]++;
        }
        return counts;
    }

    /**
     * @param newName the new description
     * @return this dataset under another name
     */
    public LabelledDataset withName(String newName) {
        return new LabelledDataset(newName, features, labels, featureCount, numClasses, range);
    }

    /**
     * @param from the first example, inclusive
     * @param to the last example, exclusive
     * @return a dataset of the examples {@code [from, to)}
     */
    public LabelledDataset slice(int from, int to) {
        if (from < 0 || to > size() || from >= to) {
            throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") of a dataset of " + size());
        }
        return new LabelledDataset(name, Arrays.copyOfRange(features, from * featureCount, to * featureCount),
                Arrays.copyOfRange(labels, from, to), featureCount, numClasses, range);
    }

    /**
     * @param indices example indices, in the order wanted; repeats are allowed
     * @return a dataset of those examples
     */
    public LabelledDataset subset(int[] indices) {
        if (indices.length == 0) {
            throw new IllegalArgumentException("a subset of dataset '" + name + "' needs at least one index");
        }
        float[] x = new float[indices.length * featureCount];
        int[] y = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i < 0 || i >= size()) {
                throw new IndexOutOfBoundsException("index " + i + " outside [0, " + size() + ")");
            }
            System.arraycopy(features, i * featureCount, x, k * featureCount, featureCount);
            y[k] = labels[i];
        }
        return new LabelledDataset(name, x, y, featureCount, numClasses, range);
    }

    /**
     * Draws {@code n} examples without replacement, keeping each class's share of the dataset: class
     * {@code c} gets {@code floor(n * count_c / size)} examples, and the remaining ones go to the classes
     * with the largest fractional parts (ties to the lower class). The same seed always picks the same
     * examples, which keep their original order.
     *
     * @param n the number of examples, in {@code [1, size()]}
     * @param seed the random seed
     * @return the sample; the dataset itself when {@code n == size()}
     */
    public LabelledDataset stratifiedSample(int n, long seed) {
        return n == size() ? this : subset(stratifiedIndices(n, seed));
    }

    /**
     * @param n the number of examples, in {@code [1, size()]}
     * @param seed the random seed
     * @return the ascending indices of the examples {@link #stratifiedSample} picks
     */
    public int[] stratifiedIndices(int n, long seed) {
        if (n < 1 || n > size()) {
            throw new IllegalArgumentException("sample size must be in [1, " + size() + "] but was " + n);
        }
        int[] quota = StratifiedQuota.allocate(classCounts(), n);
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            byClass.get(labels[i]).add(i);
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[] chosen = new int[n];
        int k = 0;
        for (int c = 0; c < numClasses; c++) {
            List<Integer> members = byClass.get(c);
            for (int j = 0; j < quota[c]; j++) {
                int pick = j + random.nextInt(members.size() - j);
                Integer tmp = members.get(j);
                members.set(j, members.get(pick));
                members.set(pick, tmp);
                chosen[k++] = members.get(j);
            }
        }
        Arrays.sort(chosen);
        return chosen;
    }

    /**
     * Splits the dataset into consecutive batches; the last one may be smaller. Each batch is created
     * when the iterator reaches it.
     *
     * @param batchSize the number of examples per batch, at least 1
     * @return the batches in order
     */
    public Iterable<LabelledDataset> batches(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1 but was " + batchSize);
        }
        return () -> new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < size();
            }

            @Override
            public LabelledDataset next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int from = next;
                next = Math.min(size(), from + batchSize);
                return slice(from, next);
            }
        };
    }

    @Override
    public String toString() {
        return "LabelledDataset[" + name + ": " + size() + " x " + featureCount + " features in " + range + ", "
                + numClasses + " classes]";
    }
}
