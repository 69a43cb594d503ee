package io.robustunit.training;

import java.util.List;

/**
 * The outcome of {@link AdversarialTrainer#train}.
 *
 * @param trainer the settings used
 * @param epochs one report per epoch
 * @param seconds total training time, held-out evaluation excluded
 */
public record TrainingReport(AdversarialTrainer trainer, List<EpochReport> epochs, double seconds) {

    /** @return the last epoch's report */
    public EpochReport last() {
        return epochs.get(epochs.size() - 1);
    }
}
