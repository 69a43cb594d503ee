package io.robustunit.model.dl4j;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;

/** Works out the flat size of one example from the first layer of a network. */
final class InputShapes {

    private InputShapes() {
    }

    /**
     * @return the per-example input shape: {@code [n]} for dense input, including images flattened for a
     *         convolutional network by a {@code FeedForwardToCnnPreProcessor}
     */
    static long[] infer(Layer first, InputPreProcessor preprocessor, String where) {
        if (preprocessor instanceof FeedForwardToCnnPreProcessor cnn) {
            return new long[] {cnn.getNumChannels() * cnn.getInputHeight() * cnn.getInputWidth()};
        }
        if (preprocessor == null && first instanceof FeedForwardLayer dense && dense.getNIn() > 0) {
            return new long[] {dense.getNIn()};
        }
        throw new IllegalArgumentException("cannot infer the input size of " + where + " (first layer "
                + first.getClass().getSimpleName() + (preprocessor == null ? "" : " after " + preprocessor)
                + "); pass the per-example input shape explicitly");
    }

    static int size(long[] shape) {
        long size = 1;
        for (long d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException("input shape dimensions must be positive but got " + d);
            }
            size *= d;
        }
        return Math.toIntExact(size);
    }
}
