package io.robustunit.model.kernel;

/**
 * One node of a kernel graph: the forward pass of a layer kind for one example, and the gradient of the loss with
 * respect to its inputs. Ops are immutable; what they keep between the forward and the backward pass of an example
 * (pre-activations, the positions of maxima) lives in a scratch object that each thread owns.
 */
abstract class Op {

    final Shape shape;

    Op(Shape shape) {
        this.shape = shape;
    }

    /**
     * @param in the activations of the op's inputs, in order
     * @param out receives the op's activations, {@code shape.size()} values
     * @param scratch what {@link #newScratch()} made, owned by the calling thread
     */
    abstract void forward(float[][] in, float[] out, Object scratch);

    /**
     * Adds {@code ∂L/∂in} to {@code inGrad} for every input, given {@code ∂L/∂out}, after {@link #forward} of the same
     * example on the same scratch.
     *
     * @param outGrad the gradient with respect to the output; the op may overwrite it
     * @param inGrad accumulates the gradients with respect to the inputs
     */
    abstract void backward(float[][] in, float[] out, float[] outGrad, float[][] inGrad, Object scratch);

    /** @return the per-thread state of the op, or {@code null} if it needs none */
    Object newScratch() {
        return null;
    }

    /** @return a short description, e.g. {@code conv 5x5 20->50} */
    abstract String describe();
}
