package io.robustunit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.robustunit.attack.Attack;
import io.robustunit.attack.Norm;
import io.robustunit.data.InputRange;
import io.robustunit.data.LabelledDataset;
import io.robustunit.model.DifferentiableClassifier;
import io.robustunit.report.Baseline;

/** An attack of the user's own runs through {@code @AdversarialTest} like a built-in one: gates, names, reports. */
class UserAttackTest {

    /**
     * Moves every example by ε towards class 1 of {@link LinearFixture}: {@code (x0 − ε, x1 + ε)}, no gradient. A
     * class-0 example flips when its margin is below 2ε and class-1 examples never do, so by hand the accuracy is 90%
     * at ε = 0.1 (margins 0.05, 0.15 flip) and 70% at ε = 0.3 (margins 0.05 … 0.55 flip).
     */
    record PushTowardsOne(double epsilon, InputRange range) implements Attack {

        @Override
        public String name() {
            return "PushTowardsOne";
        }

        @Override
        public Norm norm() {
            return Norm.LINF;
        }

        @Override
        public Attack withEpsilon(double newEpsilon) {
            return new PushTowardsOne(newEpsilon, range);
        }

        @Override
        public Attack withRange(InputRange newRange) {
            return new PushTowardsOne(epsilon, newRange);
        }

        @Override
        public Map<String, String> parameters() {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("attack", name());
            p.put("norm", "L∞");
            p.put("epsilon", String.valueOf(epsilon));
            p.put("range", range.toString());
            return p;
        }

        @Override
        public void generate(DifferentiableClassifier model, float[] inputs, int[] labels, int from, int count,
                             float[] adversarial) {
            for (int i = from; i < from + count; i++) {
                adversarial[2 * i] = Math.max(range.lower(), inputs[2 * i] - (float) epsilon);
                adversarial[2 * i + 1] = Math.min(range.upper(), inputs[2 * i + 1] + (float) epsilon);
            }
        }
    }

    public static final class PushAttacks implements AttackProvider {
        @Override
        public String name() {
            return "PushTowardsOne";
        }

        @Override
        public Attack create(AttackContext context) {
            return new PushTowardsOne(context.epsilon(), context.range());
        }
    }

    public static final class SloppyAttacks implements AttackProvider {
        @Override
        public Attack create(AttackContext context) {
            return new PushTowardsOne(0.5, context.range());
        }
    }

    @TestMethodOrder(MethodOrderer.MethodName.class)
    static class UserAttackTestCase {
        @ModelUnderTest
        static MultiLayerNetwork model = LinearFixture.network();

        @TestData
        static LabelledDataset data = LinearFixture.data();

        @AdversarialTest(epsilon = {0.1, 0.3}, minAdversarialAccuracy = 0.8)
        @AttackSource(PushAttacks.class)
        void push(AttackInfo info) {
            assertThat(info.attack()).isInstanceOf(PushTowardsOne.class);
        }
    }

    private static EngineExecutionResults run(Path dir, String... extra) {
        return EngineRuns.runWithReports(UserAttackTestCase.class, dir, extra);
    }

    @Test
    void aUserAttackIsGatedNamedReportedAndBaselined(@TempDir Path dir) throws Exception {
        EngineExecutionResults results = run(dir, AdversarialTest.BASELINE_UPDATE_PROPERTY, "true");

        assertThat(EngineRuns.displayNames(results)).containsExactly("PushTowardsOne ε=0.1", "PushTowardsOne ε=0.3");
        results.testEvents().assertStatistics(stats -> stats.succeeded(1).failed(1));
        assertThat(EngineRuns.failures(results)).singleElement().extracting(Throwable::getMessage).asString()
                .startsWith("PushTowardsOne ε=0.3 on UserAttackTestCase.push(): adversarial accuracy 70.00% is below "
                        + "the minimum 80.00%")
                .contains("  attack                    PushTowardsOne, untargeted, {attack=PushTowardsOne, norm=L∞, "
                        + "epsilon=0.3, range=[0.0, 1.0]}\n");

        JsonNode report = new ObjectMapper().readTree(dir.resolve("reports")
                .resolve(UserAttackTestCase.class.getName() + ".json").toFile());
        assertThat(report.path("results")).extracting(r -> r.path("attack").path("attack").asText() + " "
                + r.path("epsilon").asDouble() + " " + r.path("metrics").path("adversarialAccuracy").asDouble())
                .containsExactlyInAnyOrder("PushTowardsOne 0.1 0.9", "PushTowardsOne 0.3 0.7");
        // only what passed its gate is recorded, as for the built-in attacks
        assertThat(Baseline.read(dir.resolve("baseline.json")).orElseThrow().entries())
                .extracting(e -> e.attack().get("attack") + " " + e.attack().get("epsilon") + " " + e.correct())
                .containsExactly("PushTowardsOne 0.1 18");

        EngineExecutionResults compared = run(dir);
        assertThat(EngineRuns.reportEntries(compared)).filteredOn(e -> e.containsKey("robustunit.baseline"))
                .extracting(e -> e.get("robustunit.baseline")).containsExactly("within tolerance: 90.00% -> 90.00% (+0.00 pp)");
    }

    static class MixedTestCase {
        @ModelUnderTest
        static MultiLayerNetwork model = LinearFixture.network();

        @TestData
        static LabelledDataset data = LinearFixture.data();

        @AdversarialTest(epsilon = 0.1, attack = AttackKind.FGSM)
        @AttackSource(PushAttacks.class)
        void both() {
        }

        @AdversarialTest(epsilon = 0.1)
        @AttackSource(SloppyAttacks.class)
        void sloppy() {
        }
    }

    @Test
    void builtInAndUserAttacksRunSideBySideAndAProviderMustUseTheContext() {
        EngineExecutionResults results = EngineRuns.run(MixedTestCase.class);
        assertThat(EngineRuns.displayNames(results)).containsExactlyInAnyOrder("FGSM ε=0.1", "PushTowardsOne ε=0.1",
                "SloppyAttacks ε=0.1");
        assertThat(EngineRuns.failures(results)).singleElement().extracting(Throwable::getMessage).asString()
                .startsWith("Configuration error: @AdversarialTest on [MixedTestCase.sloppy()] cannot attack @TestData "
                        + "MixedTestCase.data: " + SloppyAttacks.class.getName() + " made an attack with ε=0.5");
    }

    static class NamedTestCase {
        @ModelUnderTest
        static MultiLayerNetwork model = LinearFixture.network();

        @TestData
        static LabelledDataset data = LinearFixture.data();

        @AdversarialTest(epsilon = {0.1, 0.2}, attack = {AttackKind.FGSM, AttackKind.PGD}, samples = 10, seed = 3,
                name = "{index}. {attack} at {epsilon} ({norm}, {target}, {samples} samples, seed {seed}){details}")
        @Targeted(TargetChoice.NEXT_CLASS)
        void named() {
        }

        @AdversarialTest(epsilon = 0.1)
        void fromConfiguration() {
        }
    }

    @Test
    void displayNamesFollowTheNamePatternFromTheAnnotationOrTheConfiguration() {
        EngineExecutionResults results = EngineRuns.run(NamedTestCase.class, AdversarialTest.NAME_PROPERTY,
                "{attack}@{epsilon}");
        assertThat(EngineRuns.displayNames(results)).containsExactlyInAnyOrder(
                "1. FGSM at 0.1 (L∞, next class, 10 samples, seed 3) (targeted: next class)",
                "2. FGSM at 0.2 (L∞, next class, 10 samples, seed 3) (targeted: next class)",
                "3. PGD at 0.1 (L∞, next class, 10 samples, seed 3) (targeted: next class)",
                "4. PGD at 0.2 (L∞, next class, 10 samples, seed 3) (targeted: next class)",
                "FGSM@0.1");
    }
}
