package io.robustunit.model.dl4j;

import java.util.Arrays;

import org.deeplearning4j.nn.conf.inputs.InputType;

/**
 * What one example is as a network takes it: DL4J's input type, the shape its features are reshaped to for DL4J,
 * and their count.
 *
 * @param type the network's input type
 * @param ndShape the shape of one example for ND4J, e.g. {@code [784]}, {@code [1, 28, 28]} or {@code [28, 28, 1]}
 */
record ExampleShape(InputType type, long[] ndShape) {

    /** @return the number of features per example */
    int size() {
        return InputShapes.size(ndShape);
    }

    @Override
    public String toString() {
        return Arrays.toString(ndShape);
    }
}
