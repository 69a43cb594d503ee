package io.robustunit.junit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.apiguardian.api.API;

import io.robustunit.training.TrainingGenerator;

/**
 * When an {@link AdversarialTest} gate fails, adversarially train a copy of the model on the class's
 * {@link TrainingData}, re-evaluate it at the failing ε under FGSM and PGD, save it under
 * {@code target/robustunit/hardened/}, and add its numbers to the failure message:
 * <pre>
 * a hardened candidate reaches 86.90% (FGSM) / 61.20% (PGD-20) at ε=0.1 with clean accuracy 97.40%; saved to …
 * </pre>
 * The test still fails: a gate never swaps the model. The user's model is never written. {@link #epochs()}
 * and {@link #samples()} bound the cost in CI. Needs a DL4J network as the model.
 */
@Target({ElementType.METHOD, ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@API(status = EXPERIMENTAL, since = "0.1")
public @interface HardenOnFailure {

    /** Configuration parameter naming the directory hardened models are written to. */
    String DIRECTORY_PROPERTY = "robustunit.hardenedDirectory";

    /** The default directory, relative to the working directory (the module's, under Maven). */
    String DEFAULT_DIRECTORY = "target/robustunit/hardened";

    /** @return how adversarial examples are generated during training */
    TrainingGenerator generator() default TrainingGenerator.FGSM_RANDOM_START;

    /** @return epochs of training, at least 1 */
    int epochs() default 1;

    /** @return training examples per epoch, a stratified sample; 0 for all */
    int samples() default 10_000;

    /** @return the weight of the clean loss, a multiple of 1/8 in [0, 1] */
    double alpha() default 0.5;

    /** @return clean examples per minibatch */
    int batchSize() default 64;

    /** @return the training ε; by default the failing invocation's */
    double epsilon() default AdversarialTest.NOT_SET;

    /** @return PGD steps of the re-evaluation */
    int pgdSteps() default 20;
}
