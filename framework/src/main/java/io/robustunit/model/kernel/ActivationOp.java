package io.robustunit.model.kernel;

/** An activation on its own, as DL4J's {@code ActivationLayer}. */
final class ActivationOp extends Op {

    private final Activation activation;

    ActivationOp(Shape shape, Activation activation) {
        super(shape);
        this.activation = activation;
    }

    Activation activation() {
        return activation;
    }

    @Override
    void forward(float[][] in, float[] out, Object scratch) {
        activation.apply(in[0], out, shape.size());
    }

    @Override
    void backward(float[][] in, float[] out, float[] outGrad, float[][] inGrad, Object scratch) {
        activation.multiplyDerivative(in[0], out, outGrad, shape.size());
        float[] dx = inGrad[0];
        for (int i = 0; i < dx.length; i++) {
            dx[i] += outGrad[i];
        }
    }

    @Override
    String describe() {
        return activation.toString();
    }
}
