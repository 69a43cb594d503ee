package io.robustunit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.robustunit.attack.Attacks;
import io.robustunit.attack.TargetRule;
import io.robustunit.data.LabelledDataset;
import io.robustunit.health.EvaluationHealth;
import io.robustunit.health.HealthCheck;
import io.robustunit.metrics.EvaluationResult;
import io.robustunit.metrics.RobustnessEvaluator;
import io.robustunit.model.DifferentiableClassifier;
import io.robustunit.model.dl4j.Dl4jClassifiers;

/**
 * A targeted attack fools only what it can push to its target, so it may rightly leave more examples correct than
 * untargeted FGSM; the check "iterative attacks beat one step" must not call that broken. On the four-class fixture at
 * ε = 0.2, by hand: untargeted attacks flip the examples with margin below 0.4 (leaving 60%), and PGD towards class 0
 * flips the same ones except class 0's own four (leaving 70%).
 */
class TargetedHealthTest {

    @Test
    void aTargetedPgdThatFoolsFewerThanFgsmIsNotAWarning() {
        DifferentiableClassifier model = Dl4jClassifiers.of(FourClassFixture.network());
        LabelledDataset data = FourClassFixture.data();
        EvaluationResult targeted = RobustnessEvaluator.of(model)
                .evaluate(data, Attacks.pgd(0.2).withSteps(20).targeted(TargetRule.fixed(0)));
        EvaluationResult fgsm = RobustnessEvaluator.of(model).evaluate(data, Attacks.fgsm(0.2));
        assertThat(fgsm.adversarialAccuracy()).isEqualTo(0.6);
        assertThat(targeted.adversarialAccuracy()).isEqualTo(0.7);

        EvaluationHealth health = EvaluationHealth.check(model, data, targeted, 42);
        assertThat(health.checks()).filteredOn(c -> c.name().equals("iterative attacks beat one step"))
                .singleElement().extracting(HealthCheck::status).isEqualTo(HealthCheck.Status.PASSED);
    }
}
