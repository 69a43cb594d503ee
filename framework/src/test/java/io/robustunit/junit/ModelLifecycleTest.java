package io.robustunit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import io.robustunit.data.LabelledDataset;

/** What the extension does with the models test classes declare: it never closes theirs, and checks they classify. */
class ModelLifecycleTest {

    /** A cache in the user's code, as a test suite that loads its model once would keep. */
    static final class SharedModel {
        static final MultiLayerNetwork INSTANCE = LinearFixture.network();

        private SharedModel() {
        }
    }

    static class FirstUserTestCase {
        @ModelUnderTest
        static MultiLayerNetwork model() {
            return SharedModel.INSTANCE;
        }

        @TestData
        static LabelledDataset data = LinearFixture.data();

        @AdversarialTest(epsilon = 0.1)
        void attack() {
        }
    }

    static class SecondUserTestCase extends FirstUserTestCase {
    }

    @Test
    void aNetworkTheTestClassReturnsIsNeverClosedByTheExtension() {
        EngineRuns.run(FirstUserTestCase.class).testEvents().assertStatistics(stats -> stats.succeeded(1));
        EngineRuns.run(SecondUserTestCase.class).testEvents().assertStatistics(stats -> stats.succeeded(1));
        assertThat(SharedModel.INSTANCE.output(org.nd4j.linalg.factory.Nd4j.createFromArray(new float[][] {{0.2f, 0.8f}}))
                .getDouble(0, 1)).isGreaterThan(0.5);
    }

    static class SigmoidTestCase {
        @ModelUnderTest
        static MultiLayerNetwork model() {
            MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                    .layer(new OutputLayer.Builder(LossFunction.XENT).nIn(2).nOut(2).activation(Activation.SIGMOID)
                            .build()).build());
            net.init();
            return net;
        }

        @TestData
        static LabelledDataset data = LinearFixture.data();

        @AdversarialTest(epsilon = 0.1)
        void attack() {
        }
    }

    @Test
    void aModelThatIsNotASoftmaxClassifierIsAConfigurationErrorBeforeAnyAttack() {
        EngineExecutionResults results = EngineRuns.run(SigmoidTestCase.class);
        assertThat(EngineRuns.failures(results)).singleElement().extracting(Throwable::getMessage).asString()
                .startsWith("Configuration error: @ModelUnderTest SigmoidTestCase.model() cannot be attacked: layer 0 "
                        + "(OutputLayer) has activation sigmoid and loss LossBinaryXENT");
    }

    static class EmptyDataTestCase {
        @ModelUnderTest
        static MultiLayerNetwork model = LinearFixture.network();

        @TestData
        static LabelledDataset data() {
            return LabelledDataset.of("empty", new float[0], new int[0], 2, 2, io.robustunit.data.InputRange.UNIT);
        }

        @AdversarialTest(epsilon = 0.1)
        void attack() {
        }
    }

    @Test
    void emptyDataSaysSo() {
        assertThat(EngineRuns.failures(EngineRuns.run(EmptyDataTestCase.class))).singleElement()
                .extracting(Throwable::getMessage).asString()
                .contains("dataset 'empty' has no examples; a dataset needs at least one");
    }
}
