package io.robustunit.junit;

import static org.apiguardian.api.API.Status.STABLE;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.apiguardian.api.API;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

import io.robustunit.attack.Norm;

/**
 * Turns a method into one test per (attack, ε): the extension attacks the class's {@link ModelUnderTest model} on
 * its {@link TestData data}, injects the outcome into the method's parameters ({@link AdversarialBatch},
 * {@code EvaluationResult}, {@link AttackInfo}, {@code EvaluationHealth}) and, after the body, fails the invocation
 * when a threshold is missed, or, with {@link #evaluationHealth()} {@code FAIL}, when an evaluation-health check
 * warns.
 * <pre>{@code
 * @AdversarialTest(epsilon = {0.05, 0.1}, attack = {FGSM, PGD}, minAdversarialAccuracy = 0.1)
 * void staysAccurate(AdversarialBatch batch) { ... }
 * }</pre>
 *
 * <p>Every attribute left unset is resolved in one place, in this order: the attribute, then
 * {@link AdversarialDefaults} on the test class (or an enclosing class), then the configuration parameter named by
 * the constant beside it ({@code junit-platform.properties} or {@code -D}), then the built-in default. An attribute
 * is unset only at its default: {@code NaN} for fractions, {@link Integer#MIN_VALUE} for counts, an empty array or
 * string, or {@link GateMode#DEFAULT}. Any other value outside the allowed range is a configuration error, never
 * ignored. It is a meta-annotation: put it, with fixed values, on an annotation of your own.
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@TestTemplate
@ExtendWith(AdversarialTestExtension.class)
@API(status = STABLE, since = "0.1")
public @interface AdversarialTest {

    /** Default of the fraction attributes: not set here. Not a value anyone types by accident. */
    double NOT_SET = Double.NaN;

    /** Default of the count attributes: not set here. */
    int NOT_SET_INT = Integer.MIN_VALUE;

    /** Default of {@link #seed()}: not set here; it cannot be used as a seed. */
    long NOT_SET_SEED = Long.MIN_VALUE;

    /** The default display name of each invocation, e.g. {@code FGSM ε=0.05} or {@code PGD ε=0.1 (L2)}. */
    String DEFAULT_NAME = "{attack} ε={epsilon}{details}";

    /** Configuration parameter for {@link #epsilon()}: a comma-separated list. No built-in default. */
    String EPSILON_PROPERTY = "robustunit.epsilon";

    /**
     * Configuration parameter for {@link #attack()}: a comma-separated list of FGSM, PGD, APGD_CE, APGD_DLR, APGD_T,
     * SQUARE, AUTO. Default FGSM.
     */
    String ATTACK_PROPERTY = "robustunit.attack";

    /** Configuration parameter for {@link #norm()}: LINF or L2. Default LINF. */
    String NORM_PROPERTY = "robustunit.norm";

    /** Configuration parameter for {@link #maxAccuracyDrop()}, in [0, 1]. Default: no limit. */
    String MAX_ACCURACY_DROP_PROPERTY = "robustunit.maxAccuracyDrop";

    /** Configuration parameter for {@link #minAdversarialAccuracy()}, in [0, 1]. Default: no limit. */
    String MIN_ADVERSARIAL_ACCURACY_PROPERTY = "robustunit.minAdversarialAccuracy";

    /** Configuration parameter for {@link #samples()}; 0 means the whole dataset. Default 1000. */
    String SAMPLES_PROPERTY = "robustunit.samples";

    /** Configuration parameter for {@link #seed()}. Default 42. */
    String SEED_PROPERTY = "robustunit.seed";

    /** Configuration parameter for {@link #batchSize()}. Default 1000. */
    String BATCH_SIZE_PROPERTY = "robustunit.batchSize";

    /** Configuration parameter for {@link #gateMode()}. Default POINT_ESTIMATE. */
    String GATE_MODE_PROPERTY = "robustunit.gateMode";

    /** Configuration parameter for {@link #evaluationHealth()}: WARN or FAIL. Default WARN. */
    String EVALUATION_HEALTH_PROPERTY = "robustunit.evaluationHealth";

    /** Configuration parameter for {@link #name()}. Default {@value #DEFAULT_NAME}. */
    String NAME_PROPERTY = "robustunit.name";

    /** Configuration parameter: where JSON and HTML reports go. Default {@value #DEFAULT_REPORTS_DIRECTORY}. */
    String REPORTS_DIRECTORY_PROPERTY = "robustunit.reports.directory";

    /** The default report directory, relative to the working directory (the module's, under Maven). */
    String DEFAULT_REPORTS_DIRECTORY = "target/robustness-reports";

    /** Configuration parameter: the committed baseline. Default {@value #DEFAULT_BASELINE_FILE}. */
    String BASELINE_FILE_PROPERTY = "robustunit.baseline.file";

    /** The default baseline file, relative to the working directory. */
    String DEFAULT_BASELINE_FILE = "src/test/resources/robustness-baseline.json";

    /** Configuration parameter: {@code true} records this run's results into the baseline. Default false. */
    String BASELINE_UPDATE_PROPERTY = "robustunit.baseline.update";

    /** Configuration parameter: the accuracy a result may lose against its baseline, in [0, 1]. Default 0.01. */
    String BASELINE_TOLERANCE_PROPERTY = "robustunit.baseline.tolerance";

    /** The default baseline tolerance: 1 percentage point. */
    double DEFAULT_BASELINE_TOLERANCE = 0.01;

    /** Configuration parameter: POINT_ESTIMATE or WILSON. Default POINT_ESTIMATE. */
    String BASELINE_MODE_PROPERTY = "robustunit.baseline.mode";

    /**
     * Configuration parameter: {@code true} fails every invocation that has no baseline entry, so that a changed
     * key or a missing file cannot switch the regression gate off unseen. Default false.
     */
    String BASELINE_REQUIRED_PROPERTY = "robustunit.baseline.required";

    /** @return the perturbation budgets, each in {@code (0, width of the data's range]} for L∞ */
    double[] epsilon() default {};

    /** @return the built-in attacks to run; one invocation per attack and ε */
    AttackKind[] attack() default {};

    /** @return the norm of the perturbation; at most one */
    Norm[] norm() default {};

    /** @return the largest acceptable {@code clean − adversarial} accuracy, in {@code [0, 1]} */
    double maxAccuracyDrop() default NOT_SET;

    /** @return the smallest acceptable adversarial accuracy, in {@code [0, 1]} */
    double minAdversarialAccuracy() default NOT_SET;

    /** @return how many examples to attack, a stratified sample; 0 for all */
    int samples() default NOT_SET_INT;

    /** @return the seed of the sample and of any random start */
    long seed() default NOT_SET_SEED;

    /** @return examples attacked at once, at least 1 */
    int batchSize() default NOT_SET_INT;

    /** @return what the thresholds are compared with */
    GateMode gateMode() default GateMode.DEFAULT;

    /**
     * @return whether a failed evaluation-health check (gradient masking, a broken attack, outputs that are not
     *         probabilities) fails the invocation or only warns; the checks run and are reported either way
     */
    HealthMode evaluationHealth() default HealthMode.DEFAULT;

    /**
     * @return each invocation's display name, with the placeholders {@code {attack}} (e.g. {@code FGSM}),
     *         {@code {epsilon}}, {@code {norm}} ({@code L∞} or {@code L2}), {@code {target}} ({@code untargeted}
     *         or the target rule), {@code {details}} ({@code " (L2, targeted: next class)"} where they apply, else
     *         empty), {@code {samples}}, {@code {seed}} and {@code {index}} (from 1); by default
     *         {@value #DEFAULT_NAME}
     */
    String name() default "";
}
