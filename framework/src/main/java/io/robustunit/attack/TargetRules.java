package io.robustunit.attack;

import io.robustunit.model.DifferentiableClassifier;

/** The built-in {@link TargetRule}s. */
final class TargetRules {

    private TargetRules() {
    }

    record Fixed(int target) implements TargetRule {
        @Override
        public void targets(DifferentiableClassifier model, float[] inputs, int[] labels, int from, int count,
                            int[] targets) {
            if (target >= model.numClasses()) {
                throw new IllegalArgumentException("target class " + target + " is outside [0, "
                        + model.numClasses() + ")");
            }
            java.util.Arrays.fill(targets, from, from + count, target);
        }

        @Override
        public String description() {
            return "class " + target;
        }
    }

    static final TargetRule NEXT_CLASS = new TargetRule() {
        @Override
        public void targets(DifferentiableClassifier model, float[] inputs, int[] labels, int from, int count,
                            int[] targets) {
            for (int i = from; i < from + count; i++) {
                targets[i] = (labels[i] + 1) % model.numClasses();
            }
        }

        @Override
        public String description() {
            return "next class";
        }

        @Override
        public String toString() {
            return description();
        }
    };

    static final TargetRule LEAST_LIKELY = new TargetRule() {
        @Override
        public void targets(DifferentiableClassifier model, float[] inputs, int[] labels, int from, int count,
                            int[] targets) {
            int classes = model.numClasses();
            float[] p = new float[(from + count) * classes];
            model.probabilities(inputs, from, count, p);
            for (int i = from; i < from + count; i++) {
                int least = 0;
                for (int k = 1; k < classes; k++) {
                    if (p[i * classes + k] < p[i * classes + least]) {
                        least = k;
                    }
                }
                targets[i] = least;
            }
        }

        @Override
        public String description() {
            return "least likely";
        }

        @Override
        public String toString() {
            return description();
        }
    };
}
