package io.robustunit.training;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;

import org.apiguardian.api.API;

/**
 * The outcome of {@link AdversarialTrainer#train}.
 *
 * @param trainer the settings used
 * @param epochs one report per epoch
 * @param seconds total training time, held-out evaluation excluded
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record TrainingReport(AdversarialTrainer trainer, List<EpochReport> epochs, double seconds) {

    /** @return the last epoch's report */
    public EpochReport last() {
        return epochs.get(epochs.size() - 1);
    }
}
