package io.robustunit.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apiguardian.api.API;
import org.junit.jupiter.api.Test;

/**
 * Every public type says how stable it is, and docs/api.md lists exactly the ones users need: it is generated from
 * the code (run with {@code -Drobustunit.docs.update=true} to rewrite it) and this test fails when the two differ.
 */
class ApiOverviewTest {

    private static final Path PAGE = Path.of("../docs/api.md");

    @Test
    void everyPublicTypeCarriesApiStatus() {
        assertThat(PublicTypes.all()).isNotEmpty().allSatisfy(type -> assertThat(PublicTypes.status(type))
                .as("@API on " + type.getName()).isPresent());
    }

    @Test
    void theApiPageListsEveryPublicTypeThatIsNotInternal() throws IOException {
        String expected = page();
        if (Boolean.getBoolean("robustunit.docs.update")) {
            Files.writeString(PAGE, expected);
        }
        assertThat(Files.readString(PAGE)).as("docs/api.md; regenerate it with -Drobustunit.docs.update=true")
                .isEqualTo(expected);
    }

    static String page() {
        Map<String, StringBuilder> packages = new LinkedHashMap<>();
        List<Class<?>> internal = new java.util.ArrayList<>();
        for (Class<?> type : PublicTypes.all()) {
            API.Status status = PublicTypes.status(type).orElseThrow();
            if (status == API.Status.INTERNAL) {
                internal.add(type);
                continue;
            }
            packages.computeIfAbsent(type.getPackageName(), p -> new StringBuilder("## `" + p + "`\n\n"
                    + "| type | kind | status | what it is |\n|---|---|---|---|\n"))
                    .append("| `").append(type.getSimpleName()).append("` | ").append(PublicTypes.kind(type))
                    .append(" | ").append(status).append(" | ").append(PublicTypes.summary(type)).append(" |\n");
        }
        StringBuilder out = new StringBuilder("""
                # API overview

                RobustUnit's public API, one table per package, generated from the `@API` annotations on the code
                (apiguardian, as JUnit uses them). `STABLE` types keep their signatures within a major version;
                `EXPERIMENTAL` ones may still change in a minor release. Everything else is package-private, or public
                and marked `INTERNAL` because another RobustUnit package uses it; internal types are not listed here
                and may change in any release.

                `ApiOverviewTest` fails when this page and the code differ.

                """);
        packages.values().forEach(table -> out.append(table).append('\n'));
        out.append("Internal: ").append(String.join(", ", internal.stream().map(c -> "`" + c.getName() + "`").toList()))
                .append(".\n");
        return out.toString();
    }
}
