package io.robustunit.example.mnist.peer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.factory.Nd4j;

import io.robustunit.example.mnist.ReferenceMlp;

/**
 * Loads the weights written by the PyTorch reference ({@code fgsm_peer.py --save-weights DIR}) into the
 * reference architecture: {@code W1 (784,128) b1 (128) W2 (128,10) b2 (10)}, float32 .npy in DL4J's
 * {@code [nIn, nOut]} orientation. Both sides can then attack the very same weights.
 */
public final class PeerWeights {

    private PeerWeights() {
    }

    /**
     * @param dir the directory holding {@code W1.npy, b1.npy, W2.npy, b2.npy}
     * @return the reference MLP with those weights
     * @throws IOException if a file is missing, not float32 .npy, or has the wrong shape
     */
    public static MultiLayerNetwork load(Path dir) throws IOException {
        MultiLayerNetwork network = ReferenceMlp.create(0);
        set(network, 0, "W", dir.resolve("W1.npy"), 784, 128);
        set(network, 0, "b", dir.resolve("b1.npy"), 128);
        set(network, 1, "W", dir.resolve("W2.npy"), 128, 10);
        set(network, 1, "b", dir.resolve("b2.npy"), 10);
        return network;
    }

    private static void set(MultiLayerNetwork network, int layer, String param, Path file, int... shape)
            throws IOException {
        NpyArrays.Array array = NpyArrays.read(file);
        if (!Arrays.equals(array.shape(), shape)) {
            throw new IOException(file + ": expected shape " + Arrays.toString(shape) + " but found "
                    + Arrays.toString(array.shape()));
        }
        long[] target = shape.length == 1 ? new long[] {1, shape[0]} : new long[] {shape[0], shape[1]};
        network.getLayer(layer).setParam(param, Nd4j.create(array.values(), target, 'c'));
    }
}
