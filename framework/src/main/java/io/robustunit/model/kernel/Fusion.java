package io.robustunit.model.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * Merges ops whose intermediate result nothing else reads, so that the pass over it disappears:
 * <ul>
 *   <li>a batch normalization (per-channel affine map) after a convolution or dense layer without activation is
 *       folded into that layer's weights and bias, {@code W' = W·γ/σ}, {@code b' = (b − μ)·γ/σ + β};</li>
 *   <li>an activation layer after a convolution, dense layer or batch normalization without activation becomes that
 *       op's activation.</li>
 * </ul>
 * Residual blocks keep their shape: an op whose output another node also reads is never merged away. The folded
 * weights round differently from the two separate steps, in the last bits of float32.
 */
final class Fusion {

    private Fusion() {
    }

    static List<KernelGraph.Node> fuse(List<KernelGraph.Node> nodes) {
        int[] consumers = new int[nodes.size() + 1];
        for (KernelGraph.Node node : nodes) {
            for (int from : node.inputs()) {
                consumers[from]++;
            }
        }
        List<KernelGraph.Node> fused = new ArrayList<>();
        int[] map = new int[nodes.size() + 1];
        for (int i = 0; i < nodes.size(); i++) {
            KernelGraph.Node node = nodes.get(i);
            int id = i + 1;
            int from = node.inputs().length == 1 ? node.inputs()[0] : 0;
            Op previous = from > 0 && consumers[from] == 1 ? fused.get(map[from] - 1).op() : null;
            Op merged = previous == null ? null : merge(previous, node.op());
            if (merged != null) {
                KernelGraph.Node target = fused.get(map[from] - 1);
                fused.set(map[from] - 1, new KernelGraph.Node(merged, target.inputs()));
                map[id] = map[from];
                continue;
            }
            int[] inputs = new int[node.inputs().length];
            for (int j = 0; j < inputs.length; j++) {
                inputs[j] = map[node.inputs()[j]];
            }
            fused.add(new KernelGraph.Node(node.op(), inputs));
            map[id] = fused.size();
        }
        return fused;
    }

    /** @return the op that computes {@code next} after {@code previous} in one, or {@code null} */
    private static Op merge(Op previous, Op next) {
        if (next instanceof ChannelAffineOp affine) {
            if (previous instanceof ConvOp conv && !conv.hasActivation()) {
                return conv.fold(affine.scale(), affine.shift(), affine.activation());
            }
            if (previous instanceof DenseOp dense && !dense.hasActivation()) {
                return dense.fold(affine.scale(), affine.shift(), affine.activation());
            }
            return null;
        }
        if (next instanceof ActivationOp activation) {
            if (previous instanceof ConvOp conv && !conv.hasActivation()) {
                return conv.withActivation(activation.activation());
            }
            if (previous instanceof DenseOp dense && !dense.hasActivation()) {
                return dense.withActivation(activation.activation());
            }
            if (previous instanceof ChannelAffineOp affine && affine.activation().isIdentity()) {
                return affine.withActivation(activation.activation());
            }
        }
        return null;
    }
}
