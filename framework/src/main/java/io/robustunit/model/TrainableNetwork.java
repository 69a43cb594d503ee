package io.robustunit.model;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.io.IOException;
import java.nio.file.Path;

import org.apiguardian.api.API;

import io.robustunit.data.Minibatches;

/**
 * A network that can be attacked and trained: what the JUnit extension and adversarial training need from a
 * model besides its {@link DifferentiableClassifier} view. {@code Dl4jModels.trainable(network)} adapts a
 * Deeplearning4j network; training changes that network in place.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface TrainableNetwork extends AutoCloseable {

    /**
     * @return a classifier over a snapshot of the current parameters, unaffected by later training
     * @throws IllegalArgumentException if the network does not say how large an example is; use
     *         {@link #classifier(int)}
     */
    DifferentiableClassifier classifier();

    /**
     * @param featuresPerExample how many features the data has per example, which picks the example's shape where
     *        the network does not record it (an image's height and width, say)
     * @return a classifier over a snapshot of the current parameters, unaffected by later training
     */
    DifferentiableClassifier classifier(int featuresPerExample);

    /**
     * @param featuresPerExample as for {@link #classifier(int)}
     * @return a classifier that follows the parameters as they train, for making adversarial examples from the
     *         current weights during training
     */
    DifferentiableClassifier liveClassifier(int featuresPerExample);

    /** @return an independent copy with the same parameters and training state */
    TrainableNetwork copy();

    /**
     * Trains one epoch: every minibatch {@code batches} yields until it has none left, with the network's own
     * loss and updater.
     *
     * @param batches the minibatches; reset first when the current epoch is already finished
     * @return the mean minibatch loss of the epoch
     */
    double fitEpoch(Minibatches batches);

    /**
     * Saves the network atomically: a crash never leaves a half-written file.
     *
     * @param file the destination
     * @throws IOException if writing fails; the previous file, if any, is then untouched
     */
    void save(Path file) throws IOException;

    /** @return the SHA-256 of the parameters as float32 little-endian bytes, in hex */
    String parameterDigest();

    /** @return what kind of network it is, e.g. {@code MultiLayerNetwork (101770 parameters)} */
    String description();

    /** Releases native memory the network holds, where it owns it. */
    @Override
    void close();
}
