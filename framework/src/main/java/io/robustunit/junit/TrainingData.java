package io.robustunit.junit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.apiguardian.api.API;

/**
 * Declares the data {@link HardenOnFailure} trains on, like {@link TestData}: a static field or no-argument
 * method returning a {@code LabelledDataset}, or IDX files named on the class. Keep it apart from the test
 * data, or the hardened model's numbers mean nothing.
 */
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@API(status = EXPERIMENTAL, since = "0.1")
public @interface TrainingData {

    /** @return on a class: the IDX images, a classpath resource or {@code file:PATH} */
    String images() default "";

    /** @return on a class: the IDX labels, a classpath resource or {@code file:PATH} */
    String labels() default "";

    /** @return a name for reports */
    String name() default "";
}
