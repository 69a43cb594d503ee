package io.robustunit.junit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

import io.robustunit.attack.Norm;
import io.robustunit.data.InputRange;

/**
 * What an {@link AttackProvider} makes its attack for.
 *
 * @param epsilon the invocation's budget
 * @param norm the norm it is measured in
 * @param range the data's input range, which the attack must clip to
 * @param seed the test's seed, for any random choice the attack makes
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record AttackContext(double epsilon, Norm norm, InputRange range, long seed) {
}
