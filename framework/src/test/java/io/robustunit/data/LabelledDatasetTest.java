package io.robustunit.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelledDatasetTest {

    @TempDir
    Path dir;

    /** 100 examples of 2 features; class c has (c+1)*10 examples; feature 0 is the example index / 100. */
    private static LabelledDataset unbalanced() {
        int n = 100;
        float[] x = new float[2 * n];
        int[] y = new int[n];
        int i = 0;
        for (int c = 0; c < 4; c++) {
            for (int k = 0; k < (c + 1) * 10; k++, i++) {
                x[2 * i] = i / 100f;
                x[2 * i + 1] = 1f;
                y[i] = c;
            }
        }
        return LabelledDataset.of("unbalanced", x, y, 2, 4, InputRange.UNIT);
    }

    @Test
    void exposesShapeAndValues() {
        LabelledDataset data = unbalanced();
        assertThat(data.size()).isEqualTo(100);
        assertThat(data.featureCount()).isEqualTo(2);
        assertThat(data.numClasses()).isEqualTo(4);
        assertThat(data.classCounts()).containsExactly(10, 20, 30, 40);
        assertThat(data.feature(37, 0)).isEqualTo(0.37f);
        assertThat(data.label(37)).isEqualTo(2);
    }

    @Test
    void copiesItsInputSoLaterChangesDoNotLeakIn() {
        float[] x = {0.1f, 0.2f};
        int[] y = {1};
        LabelledDataset data = LabelledDataset.of("copy", x, y, 2, 2, InputRange.UNIT);
        x[0] = 0.9f;
        y[0] = 0;
        assertThat(data.feature(0, 0)).isEqualTo(0.1f);
        assertThat(data.label(0)).isEqualTo(1);
    }

    @Test
    void rejectsNaNNamingExampleAndFeature() {
        float[] x = {0f, 0f, 0f, Float.NaN};
        assertThatThrownBy(() -> LabelledDataset.of("d", x, new int[] {0, 1}, 2, 2, InputRange.UNIT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("feature 1 of example 1 is NaN; features must be finite and within [0.0, 1.0]");
    }

    @Test
    void rejectsValuesOutsideTheRange() {
        float[] x = {0f, 1.5f};
        assertThatThrownBy(() -> LabelledDataset.of("d", x, new int[] {0}, 2, 2, InputRange.UNIT))
                .hasMessage("feature 1 of example 0 is 1.5; features must be finite and within [0.0, 1.0]");
    }

    @Test
    void rejectsLabelsOutsideTheClasses() {
        assertThatThrownBy(() -> LabelledDataset.of("d", new float[] {0f, 0f}, new int[] {0, 3}, 1, 3, InputRange.UNIT))
                .hasMessage("label of example 1 is 3; labels must be in [0, 3)");
    }

    @Test
    void rejectsMismatchedShapes() {
        assertThatThrownBy(() -> LabelledDataset.of("d", new float[5], new int[2], 2, 2, InputRange.UNIT))
                .hasMessage("features must hold 2 examples x 2 features = 4 values but holds 5");
    }

    @Test
    void readsMatchingIdxFilesScalingBytesToUnitRange() throws IOException {
        Path images = IdxFiles.write(dir, "img", IdxFiles.ubyte(new byte[] {0, (byte) 255, 51, 102}, 2, 2));
        Path labels = IdxFiles.write(dir, "lab", IdxFiles.ubyte(new byte[] {1, 0}, 2));
        LabelledDataset data = LabelledDataset.fromIdx(images, labels);
        assertThat(data.size()).isEqualTo(2);
        assertThat(data.numClasses()).isEqualTo(2);
        assertThat(data.features()).containsExactly(0f, 1f, 0.2f, 0.4f);
        assertThat(data.labels()).containsExactly(1, 0);
    }

    @Test
    void mismatchedImageAndLabelCountsNameBothFiles() throws IOException {
        Path images = IdxFiles.write(dir, "img", IdxFiles.ubyte(new byte[6], 3, 2));
        Path labels = IdxFiles.write(dir, "lab", IdxFiles.ubyte(new byte[2], 2));
        assertThatThrownBy(() -> LabelledDataset.fromIdx(images, labels))
                .isInstanceOf(IdxFormatException.class)
                .hasMessage(images + ": holds 3 images but " + labels + " holds 2 labels");
    }

    @Test
    void multiDimensionalLabelsAreRejected() throws IOException {
        Path images = IdxFiles.write(dir, "img", IdxFiles.ubyte(new byte[4], 2, 2));
        Path labels = IdxFiles.write(dir, "lab", IdxFiles.ubyte(new byte[4], 2, 2));
        assertThatThrownBy(() -> LabelledDataset.fromIdx(images, labels))
                .hasMessage(labels + ": labels must have 1 dimension but have [2, 2]");
    }

    @Test
    void stratifiedSampleKeepsClassSharesAndIsReproducible() {
        LabelledDataset data = unbalanced();
        LabelledDataset a = data.stratifiedSample(20, 7);
        LabelledDataset b = data.stratifiedSample(20, 7);
        LabelledDataset c = data.stratifiedSample(20, 8);

        assertThat(a.classCounts()).containsExactly(2, 4, 6, 8);
        assertThat(a.features()).isEqualTo(b.features());
        assertThat(a.features()).isNotEqualTo(c.features());
        assertThat(c.classCounts()).containsExactly(2, 4, 6, 8);
    }

    @Test
    void stratifiedSampleDistributesRemaindersByLargestFraction() {
        // exact quotas for 7 of (10, 20, 30, 40): 0.7, 1.4, 2.1, 2.8 -> floors 0,1,2,2 (5); remainders .7 and .8 win
        assertThat(unbalanced().stratifiedSample(7, 1).classCounts()).containsExactly(1, 1, 2, 3);
    }

    @Test
    void stratifiedSampleHasNoDuplicatesAndKeepsOriginalOrder() {
        LabelledDataset sample = unbalanced().stratifiedSample(50, 3);
        List<Float> ids = new ArrayList<>();
        for (int i = 0; i < sample.size(); i++) {
            ids.add(sample.feature(i, 0));
        }
        assertThat(ids).doesNotHaveDuplicates().isSorted();
    }

    @Test
    void stratifiedSampleRejectsImpossibleSizes() {
        assertThatThrownBy(() -> unbalanced().stratifiedSample(101, 1))
                .hasMessage("sample size must be in [1, 100] but was 101");
    }

    @Test
    void batchesCoverEveryExampleOnceInOrder() {
        LabelledDataset data = unbalanced();
        List<Integer> sizes = new ArrayList<>();
        List<Float> firstFeatures = new ArrayList<>();
        for (LabelledDataset batch : data.batches(32)) {
            sizes.add(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                firstFeatures.add(batch.feature(i, 0));
            }
        }
        assertThat(sizes).containsExactly(32, 32, 32, 4);
        assertThat(firstFeatures).hasSize(100).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void subsetAndSliceSelectExamples() {
        LabelledDataset data = unbalanced();
        assertThat(data.subset(new int[] {99, 0, 99}).labels()).containsExactly(3, 0, 3);
        assertThat(data.slice(10, 12).features()).containsExactly(0.10f, 1f, 0.11f, 1f);
        assertThatThrownBy(() -> data.subset(new int[] {100})).hasMessage("index 100 outside [0, 100)");
    }

    @Test
    void inputRangeRejectsEmptyOrInfiniteIntervals() {
        assertThatThrownBy(() -> InputRange.of(1, 1))
                .hasMessage("input range must have finite bounds with lower < upper but was [1.0, 1.0]");
        assertThatThrownBy(() -> InputRange.of(0, Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
    }

    @org.junit.jupiter.api.Test
    void anEmptyDatasetIsRejectedWhenItIsMade() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LabelledDataset.of("nothing", new float[0], new int[0],
                        4, 2, InputRange.UNIT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dataset 'nothing' has no examples; a dataset needs at least one");
        LabelledDataset one = LabelledDataset.of("one", new float[] {0.5f}, new int[] {1}, 1, 2, InputRange.UNIT);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> one.subset(new int[0]))
                .hasMessage("a subset of dataset 'one' needs at least one index");
    }
}
