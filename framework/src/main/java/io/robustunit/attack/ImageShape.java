package io.robustunit.attack;

/**
 * How Square lays an example's features out as an image: channels first, then rows, then columns (DL4J's NCHW).
 *
 * @param channels the number of channels
 * @param height the rows of each channel
 * @param width the columns of each row
 */
record ImageShape(int channels, int height, int width) {

    ImageShape {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("an image shape needs channels, height and width >= 1 but was "
                    + channels + "×" + height + "×" + width);
        }
    }

    /**
     * @return {@code 1×s×s} for {@code s²} features, {@code 3×s×s} for {@code 3s²}, else {@code 1×1×features}: a
     *         row, where every window is a single feature
     */
    static ImageShape infer(int features) {
        int side = (int) Math.round(Math.sqrt(features));
        if (side * side == features) {
            return new ImageShape(1, side, side);
        }
        int colourSide = (int) Math.round(Math.sqrt(features / 3.0));
        if (3 * colourSide * colourSide == features) {
            return new ImageShape(3, colourSide, colourSide);
        }
        return new ImageShape(1, 1, features);
    }

    /** @return the number of features */
    int size() {
        return channels * height * width;
    }

    @Override
    public String toString() {
        return channels + "×" + height + "×" + width;
    }
}
