package io.robustunit.example.mnist.attack;

import static io.robustunit.junit.AttackKind.APGD_CE;
import static io.robustunit.junit.AttackKind.APGD_T;
import static io.robustunit.junit.AttackKind.AUTO;
import static io.robustunit.junit.AttackKind.SQUARE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Nested;

import io.robustunit.data.LabelledDataset;
import io.robustunit.example.mnist.ReferenceMlp;
import io.robustunit.health.EvaluationHealth;
import io.robustunit.health.HealthCheck;
import io.robustunit.junit.AttackInfo;
import io.robustunit.junit.AdversarialTest;
import io.robustunit.junit.ModelUnderTest;
import io.robustunit.junit.TestData;
import io.robustunit.metrics.EvaluationResult;

/**
 * RobustUnit's APGD-CE, APGD-T, Square and AUTO are at least as strong as the reference AutoAttack on the same weights
 * and images (see {@link ReferenceStrength}), through {@code @AdversarialTest} as a user runs them, with the test's
 * default seed. The evaluation-health checks flag the FGSM-trained weights' gradient masking and pass the hardened
 * model.
 */
class AutoAttackStrengthTest {

    @TestData
    static LabelledDataset first1000() throws IOException {
        return ReferenceStrength.first1000();
    }

    @Nested
    class FgsmTrainedWeights {

        @ModelUnderTest
        static MultiLayerNetwork model() throws IOException {
            return ReferenceStrength.fgsmTrainedWeights();
        }

        @AdversarialTest(epsilon = 0.1, attack = {APGD_CE, APGD_T, SQUARE, AUTO}, samples = 0)
        void atLeastAsStrongAsTheReference(EvaluationResult result, AttackInfo info, EvaluationHealth health) {
            ReferenceStrength.atMostReferencePlusSlack(ReferenceStrength.FGSM_TRAINED, result, info);
            assertThat(health.warnings()).extracting(HealthCheck::name).containsExactly("one step is not masked");
        }
    }

    @Nested
    class HardenedModel {

        @ModelUnderTest
        static MultiLayerNetwork model() throws IOException {
            return ReferenceMlp.load(ReferenceMlp.SHIPPED_HARDENED_MODEL);
        }

        @AdversarialTest(epsilon = 0.1, attack = {APGD_CE, APGD_T, SQUARE, AUTO}, samples = 0)
        void atLeastAsStrongAsTheReference(EvaluationResult result, AttackInfo info, EvaluationHealth health) {
            ReferenceStrength.atMostReferencePlusSlack(ReferenceStrength.HARDENED, result, info);
            assertThat(health.isHealthy()).as(health.describe("")).isTrue();
        }
    }
}
