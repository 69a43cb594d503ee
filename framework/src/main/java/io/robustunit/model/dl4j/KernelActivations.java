package io.robustunit.model.dl4j;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationHardTanH;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU6;
import org.nd4j.linalg.activations.impl.ActivationSELU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftPlus;
import org.nd4j.linalg.activations.impl.ActivationSoftSign;
import org.nd4j.linalg.activations.impl.ActivationSwish;
import org.nd4j.linalg.activations.impl.ActivationTanH;

import io.robustunit.model.kernel.Activation;

/** DL4J's activations as the kernels evaluate them. */
final class KernelActivations {

    private KernelActivations() {
    }

    /** @return the kernels' version of a DL4J activation, or {@code null} if they do not have it */
    static Activation of(IActivation activation) {
        if (activation instanceof ActivationReLU relu) {
            boolean plain = relu.getMax() == null
                    && (relu.getThreshold() == null || relu.getThreshold() == 0.0)
                    && (relu.getNegativeSlope() == null || relu.getNegativeSlope() == 0.0);
            return plain ? Activation.relu() : null;
        }
        if (activation instanceof ActivationIdentity) {
            return Activation.identity();
        }
        if (activation instanceof ActivationTanH) {
            return Activation.tanh();
        }
        if (activation instanceof ActivationSigmoid) {
            return Activation.sigmoid();
        }
        if (activation instanceof ActivationLReLU leaky) {
            return Activation.leakyRelu(leaky.getAlpha());
        }
        if (activation instanceof ActivationReLU6) {
            return Activation.relu6();
        }
        if (activation instanceof ActivationELU elu) {
            return Activation.elu(elu.getAlpha());
        }
        if (activation instanceof ActivationSELU) {
            return Activation.selu();
        }
        if (activation instanceof ActivationSoftPlus) {
            return Activation.softplus();
        }
        if (activation instanceof ActivationSwish) {
            return Activation.swish();
        }
        if (activation instanceof ActivationHardTanH) {
            return Activation.hardTanh();
        }
        if (activation instanceof ActivationSoftSign) {
            return Activation.softsign();
        }
        return null;
    }
}
