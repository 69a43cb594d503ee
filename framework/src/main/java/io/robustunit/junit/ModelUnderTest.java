package io.robustunit.junit;

import static org.apiguardian.api.API.Status.STABLE;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.apiguardian.api.API;

/**
 * Declares the model the class's {@link AdversarialTest}s attack, once per class. Either
 * <ul>
 *   <li>on a static field or a static no-argument method of type {@code MultiLayerNetwork},
 *       {@code ComputationGraph} or {@code DifferentiableClassifier}:
 *       {@code @ModelUnderTest static MultiLayerNetwork model() throws IOException { ... }}; or</li>
 *   <li>on the test class, naming a model file: a classpath resource such as
 *       {@code @ModelUnderTest("/models/mnist-mlp.zip")}, or a file as {@code "file:models/mnist.zip"}. The file is a
 *       DL4J model zip, or a Keras model saved by Keras 2 or 3 as {@code .h5} or {@code .keras}
 *       ({@code @ModelUnderTest("/models/mnist.h5")}), which needs {@code deeplearning4j-modelimport} on the test
 *       classpath; see {@code Dl4jModels.load}.</li>
 * </ul>
 * A method is called, and a resource or file loaded, once per test class; what the extension loads it also
 * closes. The nearest declaration wins: the class itself, its superclasses, then enclosing classes.
 */
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@API(status = STABLE, since = "0.1")
public @interface ModelUnderTest {

    /** @return on a class: the model's classpath resource, or {@code file:PATH}: a DL4J zip, {@code .h5} or
     *          {@code .keras}; elsewhere empty */
    String value() default "";
}
