package io.robustunit.model.kernel;

/** Global max, average or sum pooling: each channel's plane to one value. */
final class GlobalPoolOp extends Op {

    /** The pooling kinds. */
    enum Kind { MAX, AVG, SUM }

    private final Shape input;
    private final Kind kind;

    GlobalPoolOp(Shape input, Kind kind) {
        super(Shape.vector(input.channels()));
        this.input = input;
        this.kind = kind;
    }

    @Override
    Object newScratch() {
        return kind == Kind.MAX ? new int[shape.size()] : null;
    }

    @Override
    void forward(float[][] in, float[] out, Object scratch) {
        float[] x = in[0];
        int plane = input.plane();
        for (int c = 0; c < input.channels(); c++) {
            int base = c * plane;
            if (kind == Kind.MAX) {
                int at = base;
                for (int i = base + 1; i < base + plane; i++) {
                    if (x[i] > x[at]) {
                        at = i;
                    }
                }
                ((int[]) scratch)[c] = at;
                out[c] = x[at];
            } else {
                float sum = 0f;
                for (int i = base; i < base + plane; i++) {
                    sum += x[i];
                }
                out[c] = kind == Kind.SUM ? sum : sum / plane;
            }
        }
    }

    @Override
    void backward(float[][] in, float[] out, float[] outGrad, float[][] inGrad, Object scratch) {
        float[] dx = inGrad[0];
        int plane = input.plane();
        for (int c = 0; c < input.channels(); c++) {
            if (kind == Kind.MAX) {
                dx[((int[]) scratch)[c]] += outGrad[c];
                continue;
            }
            float g = kind == Kind.SUM ? outGrad[c] : outGrad[c] / plane;
            for (int i = c * plane; i < (c + 1) * plane; i++) {
                dx[i] += g;
            }
        }
    }

    @Override
    String describe() {
        return "global " + kind.name().toLowerCase(java.util.Locale.ROOT) + " pool";
    }
}
