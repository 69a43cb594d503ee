package io.robustunit.attack;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.Map;

import org.apiguardian.api.API;

import io.robustunit.data.InputRange;
import io.robustunit.data.LabelledDataset;
import io.robustunit.model.DifferentiableClassifier;

/**
 * An evasion attack: it perturbs inputs within an ε-ball so that a classifier misclassifies them. Attacks
 * are immutable values; {@code with…} methods return modified copies, validated when they are made.
 *
 * @see Attacks
 */
@API(status = STABLE, since = "0.1")
public interface Attack {

    /** @return the attack's short name, e.g. {@code FGSM} or {@code PGD} */
    String name();

    /** @return the perturbation budget ε */
    double epsilon();

    /** @return the norm ε is measured in */
    Norm norm();

    /** @return the interval adversarial inputs are clipped to */
    InputRange range();

    /**
     * @param epsilon a new budget
     * @return this attack with another ε
     */
    Attack withEpsilon(double epsilon);

    /**
     * @param range the valid input interval
     * @return this attack clipping to another range
     */
    Attack withRange(InputRange range);

    /**
     * @return every parameter that changes the result, by name in a fixed order, as text: the identity of
     *         the attack in reports and baselines
     */
    Map<String, String> parameters();

    /** @return e.g. {@code FGSM ε=0.05} */
    default String displayName() {
        return name() + " ε=" + Epsilons.format(epsilon());
    }

    /**
     * Perturbs the examples {@code [from, from + count)}.
     *
     * @param model the classifier under attack
     * @param inputs examples, {@code model.inputSize()} values each, finite and within {@link #range()}
     * @param labels the true class of each example, indexed like {@code inputs}
     * @param from the first example
     * @param count the number of examples
     * @param adversarial receives the adversarial examples at the same rows
     * @throws IllegalArgumentException naming the value if an input is not finite or out of range, a
     *         label is out of range or the arrays do not fit the model
     */
    void generate(DifferentiableClassifier model, float[] inputs, int[] labels, int from, int count,
                  float[] adversarial);

    /**
     * Perturbs a whole dataset in one batch.
     *
     * @param model the classifier under attack
     * @param data the examples
     * @return the adversarial examples, row-major like {@link LabelledDataset#features()}
     */
    default float[] generate(DifferentiableClassifier model, LabelledDataset data) {
        float[] inputs = data.features();
        float[] adversarial = new float[inputs.length];
        generate(model, inputs, data.labels(), 0, data.size(), adversarial);
        return adversarial;
    }
}
