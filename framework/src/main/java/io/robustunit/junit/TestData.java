package io.robustunit.junit;

import static org.apiguardian.api.API.Status.STABLE;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.apiguardian.api.API;

/**
 * Declares the labelled data the class's {@link AdversarialTest}s attack, once per class. Either
 * <ul>
 *   <li>on a static field or static no-argument method returning a {@code LabelledDataset}; or</li>
 *   <li>on the test class, naming IDX image and label files as classpath resources or {@code file:PATH}:
 *       {@code @TestData(images = "/mnist/t10k-images-idx3-ubyte.gz", labels = "/mnist/t10k-labels-idx1-ubyte.gz")}.
 *       Unsigned-byte pixels are scaled to {@code [0, 1]}.</li>
 * </ul>
 */
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@API(status = STABLE, since = "0.1")
public @interface TestData {

    /** @return on a class: the IDX images, a classpath resource or {@code file:PATH} */
    String images() default "";

    /** @return on a class: the IDX labels, a classpath resource or {@code file:PATH} */
    String labels() default "";

    /** @return a name for reports; by default the image file's name, or the field or method name */
    String name() default "";
}
