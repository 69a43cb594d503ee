package io.robustunit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The configuration tables of docs/configuration.md are generated from the settings' descriptions, so they cannot
 * drift: run with {@code -Drobustunit.docs.update=true} to rewrite them, and this test fails when they differ.
 */
class ConfigurationDocsTest {

    private static final Path PAGE = Path.of("../docs/configuration.md");

    @Test
    void theConfigurationTablesAreTheSettingsDescriptions() throws IOException {
        String page = Files.readString(PAGE);
        String expected = replace(replace(page, "per-test", perTestTable()), "run-wide", runWideTable());
        if (Boolean.getBoolean("robustunit.docs.update")) {
            Files.writeString(PAGE, expected);
        }
        assertThat(page).as("docs/configuration.md; regenerate its tables with -Drobustunit.docs.update=true")
                .isEqualTo(expected);
    }

    static String perTestTable() {
        StringBuilder out = new StringBuilder("| attribute | configuration parameter | built-in default | allowed |\n"
                + "|---|---|---|---|\n");
        for (Setting<?> s : Settings.PER_TEST) {
            out.append("| `").append(s.attribute).append("` | `").append(s.key).append("` | ").append(s.builtInText)
                    .append(" | ").append(s.allowed).append(" |\n");
        }
        return out.toString();
    }

    static String runWideTable() {
        StringBuilder out = new StringBuilder("| configuration parameter | default | allowed |\n|---|---|---|\n");
        for (Setting<?> s : Settings.RUN_WIDE) {
            out.append("| `").append(s.key).append("` | ").append(s.builtInText).append(" | ").append(s.allowed)
                    .append(" |\n");
        }
        return out.toString();
    }

    private static String replace(String page, String name, String table) {
        Pattern region = Pattern.compile("(<!-- settings:" + name + " -->\n)(.*?)(<!-- /settings:" + name + " -->)",
                Pattern.DOTALL);
        Matcher m = region.matcher(page);
        assertThat(m.find()).as("docs/configuration.md has a region <!-- settings:" + name + " -->").isTrue();
        return page.substring(0, m.start(2)) + table + page.substring(m.end(2));
    }

    @Test
    void everyKeyIsKnownToTheStrictCheck() {
        List<String> keys = java.util.stream.Stream.concat(Settings.PER_TEST.stream(), Settings.RUN_WIDE.stream())
                .map(s -> s.key).toList();
        assertThat(keys).doesNotHaveDuplicates().allMatch(k -> k.startsWith(ConfigurationParameters.PREFIX));
    }
}
