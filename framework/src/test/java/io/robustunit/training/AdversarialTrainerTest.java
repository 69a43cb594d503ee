package io.robustunit.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import io.robustunit.attack.Attacks;
import io.robustunit.data.InputRange;
import io.robustunit.data.LabelledDataset;
import io.robustunit.model.dl4j.Dl4jClassifiers;
import io.robustunit.model.dl4j.Dl4jModels;

class AdversarialTrainerTest {

    /** Two noisy blobs in 20 dimensions: each class is brighter on its own half of the features. */
    private static LabelledDataset blobs(int n, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        int d = 20;
        float[] x = new float[n * d];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            for (int j = 0; j < d; j++) {
                boolean own = (j < d / 2) == (y[i] == 0);
                double mean = own ? 0.62 : 0.38;
                x[i * d + j] = (float) Math.min(1, Math.max(0, mean + 0.12 * gaussian(random)));
            }
        }
        return LabelledDataset.of("blobs", x, y, d, 2, InputRange.UNIT);
    }

    private static double gaussian(java.util.SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private static MultiLayerNetwork mlp(long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed)
                .updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(20).nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.SPARSE_MCXENT).nIn(16).nOut(2).activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    @Test
    void withAlphaOneAMinibatchIsExactlyPlainTraining() {
        LabelledDataset data = blobs(64, 5);
        MultiLayerNetwork viaTrainer = mlp(6);
        MultiLayerNetwork plain = mlp(6);

        AdversarialTrainer.fgsm(0.1).alpha(1.0).epochs(1).batchSize(64).seed(1).train(Dl4jModels.trainable(viaTrainer), data, data, r -> { });

        // the trainer shuffles with seed 1 before its single minibatch; the order of a full batch does not
        // change the mean gradient, so plain DL4J training on the same 64 examples must give the same step
        INDArray labels = Nd4j.create(java.util.Arrays.stream(data.labels()).asDoubleStream().toArray(), 64, 1)
                .castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
        plain.fit(new DataSet(Nd4j.create(data.features(), new long[] {64, 20}), labels));
        INDArray difference = viaTrainer.params().sub(plain.params());
        assertThat(difference.amaxNumber().doubleValue()).isLessThan(1e-6);
    }

    @Test
    void alphaWeightsTheTwoHalvesOfTheObjective() {
        // with α = 0 only the adversarial half counts: one step equals plain training on FGSM examples
        LabelledDataset data = blobs(64, 7);
        MultiLayerNetwork viaTrainer = mlp(8);
        MultiLayerNetwork plain = mlp(8);
        float[] adversarial = Attacks.fgsm(0.1).generate(Dl4jClassifiers.usingDl4jBackprop(plain), data);

        AdversarialTrainer.fgsm(0.1).alpha(0.0).epochs(1).batchSize(64).seed(1).train(Dl4jModels.trainable(viaTrainer), data, data, r -> { });

        INDArray labels = Nd4j.create(java.util.Arrays.stream(data.labels()).asDoubleStream().toArray(), 64, 1)
                .castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
        plain.fit(new DataSet(Nd4j.create(adversarial, new long[] {64, 20}), labels));
        assertThat(viaTrainer.params().sub(plain.params()).amaxNumber().doubleValue()).isLessThan(1e-5);
    }

    @Test
    void anAlphaOfThreeQuartersWeightsTheCleanLossThreeTimesTheAdversarialOne() {
        // one step on rows [x, x, x, x_adv] is the step of 0.75·J(x) + 0.25·J(x_adv): check it against DL4J fed
        // those rows directly
        LabelledDataset data = blobs(16, 11);
        MultiLayerNetwork viaTrainer = mlp(12);
        MultiLayerNetwork plain = mlp(12);
        float[] adversarial = Attacks.fgsm(0.1).generate(Dl4jClassifiers.usingDl4jBackprop(plain), data);
        AdversarialTrainer.fgsm(0.1).alpha(0.75).epochs(1).batchSize(16).seed(1).train(Dl4jModels.trainable(viaTrainer), data, data, r -> { });

        float[] rows = new float[4 * 16 * 20];
        double[] labels = new double[64];
        for (int c = 0; c < 4; c++) {
            System.arraycopy(c < 3 ? data.features() : adversarial, 0, rows, c * 320, 320);
            for (int i = 0; i < 16; i++) {
                labels[c * 16 + i] = data.label(i);
            }
        }
        plain.fit(new DataSet(Nd4j.create(rows, new long[] {64, 20}),
                Nd4j.create(labels, 64, 1).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT)));
        assertThat(viaTrainer.params().sub(plain.params()).amaxNumber().doubleValue()).isLessThan(1e-5);
    }

    /** Noisy 8×8 images: class 0 is brighter in the top half, class 1 in the bottom half. */
    private static LabelledDataset images(int n, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        float[] x = new float[n * 64];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            for (int j = 0; j < 64; j++) {
                boolean own = (j < 32) == (y[i] == 0);
                x[i * 64 + j] = (float) Math.min(1, Math.max(0, (own ? 0.6 : 0.35) + 0.15 * gaussian(random)));
            }
        }
        return LabelledDataset.of("images", x, y, 64, 2, InputRange.UNIT);
    }

    /** Convolution, BatchNorm (training mode: batch statistics), ReLU, max pooling, softmax; declared convolutional. */
    private static MultiLayerNetwork cnn(long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed)
                .updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new OutputLayer.Builder(LossFunction.SPARSE_MCXENT).nOut(2).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(8, 8, 1)).build());
        net.init();
        return net;
    }

    @Test
    void aCnnWithBatchNormTrainsThroughTheSamePathOneStepEqualsDl4jFedTheSameRows() {
        // α = 3/4: one step on rows [x, x, x, x_adv], with x_adv what the trainer's live classifier makes of the
        // starting weights, must equal DL4J fed those rows; BatchNorm sees the same batch statistics in both
        MultiLayerNetwork viaTrainer = cnn(22);
        MultiLayerNetwork plain = cnn(22);
        LabelledDataset data = images(16, 21);
        AdversarialTrainer.fgsm(0.1).alpha(0.75).epochs(1).batchSize(16).seed(1)
                .train(Dl4jModels.trainable(viaTrainer), data, data, r -> { });
        plain.fit(mixedRows(data, Dl4jModels.trainable(plain).liveClassifier(64), 3, 1));
        assertThat(plain.params()).isNotEqualTo(cnn(22).params());
        assertThat(viaTrainer.params().sub(plain.params()).amaxNumber().doubleValue()).isLessThan(1e-5);
    }

    @Test
    void aResidualGraphTrainsThroughTheSamePathOneStepEqualsDl4jFedTheSameRows() {
        ComputationGraph viaTrainer = residual(32);
        ComputationGraph plain = residual(32);
        LabelledDataset data = images(16, 31);
        AdversarialTrainer.fgsm(0.1).alpha(0.5).epochs(1).batchSize(16).seed(1)
                .train(Dl4jModels.trainable(viaTrainer), data, data, r -> { });
        plain.fit(mixedRows(data, Dl4jModels.trainable(plain).liveClassifier(64), 1, 1));
        assertThat(plain.params()).isNotEqualTo(residual(32).params());
        assertThat(viaTrainer.params().sub(plain.params()).amaxNumber().doubleValue()).isLessThan(1e-5);
    }

    /**
     * The trainer's one minibatch, built independently: its 16 examples in the order the trainer's seed-1 shuffle
     * gives them (DL4J's BatchNorm step in a graph depends on the row order by up to 2e-4), {@code clean} copies of
     * them, then {@code adversarial} copies of their FGSM versions, as 8×8 images.
     */
    private static DataSet mixedRows(LabelledDataset data, io.robustunit.model.DifferentiableClassifier live, int clean,
                                     int adversarialCopies) {
        io.robustunit.data.Minibatches shuffled = io.robustunit.data.Minibatches.shuffled(data, 16, 1);
        shuffled.reset();
        io.robustunit.data.Minibatch batch = shuffled.next();
        float[] x = batch.features();
        float[] adversarial = new float[x.length];
        Attacks.fgsm(0.1).generate(live, x, batch.labels(), 0, 16, adversarial);
        int copies = clean + adversarialCopies;
        float[] rows = new float[copies * x.length];
        double[] labels = new double[copies * 16];
        for (int c = 0; c < copies; c++) {
            System.arraycopy(c < clean ? x : adversarial, 0, rows, c * x.length, x.length);
            for (int i = 0; i < 16; i++) {
                labels[c * 16 + i] = batch.labels()[i];
            }
        }
        return new DataSet(Nd4j.create(rows, new long[] {copies * 16, 1, 8, 8}),
                Nd4j.create(labels, copies * 16, 1).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT));
    }

    /** A residual block: conv-BN-ReLU-conv-BN added to the block's input, then ReLU, global pooling, softmax. */
    private static ComputationGraph residual(long seed) {
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(seed)
                .updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(8, 8, 1))
                .addLayer("stem", new ConvolutionLayer.Builder(3, 3).nOut(4).padding(1, 1)
                        .activation(Activation.RELU).build(), "in")
                .addLayer("c1", new ConvolutionLayer.Builder(3, 3).nOut(4).padding(1, 1)
                        .activation(Activation.IDENTITY).build(), "stem")
                .addLayer("bn1", new BatchNormalization.Builder().build(), "c1")
                .addLayer("r1", new ActivationLayer.Builder().activation(Activation.RELU).build(), "bn1")
                .addLayer("c2", new ConvolutionLayer.Builder(3, 3).nOut(4).padding(1, 1)
                        .activation(Activation.IDENTITY).build(), "r1")
                .addLayer("bn2", new BatchNormalization.Builder().build(), "c2")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "bn2", "stem")
                .addLayer("r2", new ActivationLayer.Builder().activation(Activation.RELU).build(), "add")
                .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "r2")
                .addLayer("out", new OutputLayer.Builder(LossFunction.SPARSE_MCXENT).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "gap")
                .setOutputs("out").build());
        graph.init();
        return graph;
    }

    @Test
    void trainsComputationGraphsToo() {
        LabelledDataset train = blobs(400, 9);
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(1).updater(new Sgd(0.1))
                .graphBuilder().addInputs("in")
                .addLayer("h", new DenseLayer.Builder().nIn(20).nOut(8).activation(Activation.TANH).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunction.MCXENT).nIn(8).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "h")
                .setOutputs("out").build());
        graph.init();
        INDArray before = graph.params().dup();
        List<EpochReport> reports = new ArrayList<>();
        AdversarialTrainer.of(TrainingGenerator.FGSM_RANDOM_START, 0.1).epochs(2).batchSize(50)
                .train(Dl4jModels.trainable(graph), train, train, reports::add);
        assertThat(reports).extracting(EpochReport::epoch).containsExactly(1, 2);
        assertThat(graph.params()).isNotEqualTo(before);
        assertThat(reports.get(1).cleanAccuracy()).isGreaterThan(0.9);
    }

    @Test
    void badSettingsAreRejected() {
        assertThatThrownBy(() -> AdversarialTrainer.fgsm(0))
                .hasMessage("adversarial training epsilon must be in (0, 1] but was 0.0");
        assertThatThrownBy(() -> AdversarialTrainer.fgsm(-0.1))
                .hasMessage("adversarial training epsilon must be in (0, 1] but was -0.1");
        assertThatThrownBy(() -> AdversarialTrainer.fgsm(0.1).alpha(1.5))
                .hasMessage("alpha, the weight of the clean loss, must be a multiple of 1/8 in [0, 1] but was 1.5 "
                        + "(the mixed loss repeats clean and adversarial examples in each minibatch in the ratio α : 1 − α)");
        assertThatThrownBy(() -> AdversarialTrainer.fgsm(0.1).alpha(0.3)).hasMessageContaining("but was 0.3");
        assertThatThrownBy(() -> AdversarialTrainer.fgsm(0.1).epochs(0)).hasMessage("epochs must be at least 1 but was 0");
        assertThatThrownBy(() -> AdversarialTrainer.fgsm(0.1).batchSize(0))
                .hasMessage("batch size must be at least 1 but was 0");
    }
}
