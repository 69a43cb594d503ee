package io.robustunit.model.kernel;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * The shape of one example's values at a point of a network: {@code channels × height × width} images, or
 * {@code n × 1 × 1} feature vectors. Values are stored channel by channel, each channel row by row.
 *
 * @param channels the channels, or the features of a vector
 * @param height the rows of each channel; 1 for a vector
 * @param width the columns of each channel; 1 for a vector
 */
@API(status = INTERNAL, since = "0.1")
public record Shape(int channels, int height, int width) {

    /** Validates the dimensions. */
    public Shape {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("shape dimensions must be positive but were " + channels + " x " + height
                    + " x " + width);
        }
    }

    /**
     * @param features the number of features
     * @return the shape of a feature vector
     */
    public static Shape vector(int features) {
        return new Shape(features, 1, 1);
    }

    /** @return the number of values */
    public int size() {
        return Math.multiplyExact(Math.multiplyExact(channels, height), width);
    }

    /** @return the values of one channel */
    public int plane() {
        return height * width;
    }

    /** @return whether it is a plain vector */
    public boolean isVector() {
        return height == 1 && width == 1;
    }

    @Override
    public String toString() {
        return isVector() ? "[" + channels + "]" : "[" + channels + ", " + height + ", " + width + "]";
    }
}
