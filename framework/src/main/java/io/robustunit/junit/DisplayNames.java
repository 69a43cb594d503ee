package io.robustunit.junit;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.robustunit.attack.Norm;

/**
 * Formats every invocation's display name from the {@link AdversarialTest#name()} pattern: the one place where
 * names are made, for the test tree, failure messages, reports and baselines alike.
 */
final class DisplayNames {

    static final List<String> PLACEHOLDERS = List.of("{attack}", "{epsilon}", "{norm}", "{target}", "{details}",
            "{samples}", "{seed}", "{index}");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{[^{}]*}");

    private DisplayNames() {
    }

    /** @return why the pattern is unusable, or {@code null} */
    static String problem(String pattern) {
        if (pattern.isBlank()) {
            return "that is not blank";
        }
        Matcher m = PLACEHOLDER.matcher(pattern);
        while (m.find()) {
            if (!PLACEHOLDERS.contains(m.group())) {
                return "with only the placeholders " + String.join(", ", PLACEHOLDERS) + " (not " + m.group() + ")";
            }
        }
        return null;
    }

    /**
     * @param index the invocation's number, from 1
     * @return the pattern with every placeholder replaced
     */
    static String format(String pattern, InvocationSpec spec, int index) {
        String target = spec.plan().target();
        StringBuilder details = new StringBuilder();
        if (spec.norm() == Norm.L2) {
            details.append("L2");
        }
        if (target != null) {
            details.append(details.length() > 0 ? ", " : "").append("targeted: ").append(target);
        }
        Matcher m = PLACEHOLDER.matcher(pattern);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = switch (m.group()) {
                case "{attack}" -> spec.attackName();
                case "{epsilon}" -> Settings.format(spec.epsilon());
                case "{norm}" -> spec.norm().symbol();
                case "{target}" -> target == null ? "untargeted" : target;
                case "{details}" -> details.length() == 0 ? "" : " (" + details + ")";
                case "{samples}" -> spec.samples() == 0 ? "all" : String.valueOf(spec.samples());
                case "{seed}" -> String.valueOf(spec.seed());
                case "{index}" -> String.valueOf(index);
                default -> m.group();
            };
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
