package io.robustunit.example.mnist.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * No doc snippet is hand-copied: every Java, XML and properties block of README.md and docs/ is included from a
 * tagged region of a file the build compiles and runs, named by an {@code <!-- include: PATH#TAG -->} line just above
 * it, and this test fails when a block differs from its source. Run with {@code -Drobustunit.docs.update=true} to
 * rewrite the blocks from their sources.
 */
class DocsSnippetsTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern FENCE = Pattern.compile("^```(java|xml|properties)\\s*$");
    private static final Pattern INCLUDE = Pattern.compile("^<!-- include: (\\S+?)(?:#(\\S+))? -->$");
    /** Where included sources may live: trees that the build compiles and runs. */
    private static final List<String> COMPILED = List.of("framework/src/main/java/", "framework/src/test/java/",
            "mnist-example/src/main/java/", "mnist-example/src/test/java/", "framework/src/it/consumer/");

    record Snippet(Path page, int line, String source, String tag, String content) {
        String where() {
            return ROOT.relativize(page) + ":" + line;
        }
    }

    @Test
    void everySnippetIsItsSourceRegion() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path page : pages()) {
            List<String> lines = Files.readAllLines(page);
            List<Snippet> snippets = snippets(page, lines, problems);
            boolean changed = false;
            for (Snippet s : snippets) {
                String expected = region(s, problems);
                if (expected != null && !expected.equals(s.content())) {
                    problems.add(s.where() + " differs from " + s.source() + "#" + s.tag() + ":\n--- doc\n" + s.content()
                            + "--- source\n" + expected);
                    changed = true;
                }
            }
            if (changed && Boolean.getBoolean("robustunit.docs.update")) {
                Files.writeString(page, rewrite(lines, snippets));
            }
        }
        assertThat(problems).as("doc snippets; rewrite them from their sources with -Drobustunit.docs.update=true")
                .isEmpty();
    }

    @Test
    void theDocsHaveSnippetsToCheck() throws IOException {
        List<String> problems = new ArrayList<>();
        int count = 0;
        for (Path page : pages()) {
            count += snippets(page, Files.readAllLines(page), problems).size();
        }
        assertThat(count).isGreaterThan(10);
    }

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    private static List<Snippet> snippets(Path page, List<String> lines, List<String> problems) {
        List<Snippet> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!FENCE.matcher(lines.get(i)).matches()) {
                continue;
            }
            int end = i + 1;
            while (end < lines.size() && !lines.get(end).equals("```")) {
                end++;
            }
            StringBuilder content = new StringBuilder();
            lines.subList(i + 1, end).forEach(l -> content.append(l).append('\n'));
            Matcher include = i > 0 ? INCLUDE.matcher(lines.get(i - 1)) : INCLUDE.matcher("");
            if (!include.matches()) {
                problems.add(ROOT.relativize(page) + ":" + (i + 1) + " has a " + lines.get(i).substring(3)
                        + " block without an <!-- include: PATH#TAG --> line above it");
            } else {
                out.add(new Snippet(page, i + 1, include.group(1), include.group(2), content.toString()));
            }
            i = end;
        }
        return out;
    }

    private static String region(Snippet s, List<String> problems) throws IOException {
        if (COMPILED.stream().noneMatch(s.source()::startsWith)) {
            problems.add(s.where() + " includes " + s.source() + ", which is not in a tree the build compiles");
            return null;
        }
        Path file = ROOT.resolve(s.source());
        if (!Files.isRegularFile(file)) {
            problems.add(s.where() + " includes " + s.source() + ", which does not exist");
            return null;
        }
        List<String> lines = Files.readAllLines(file);
        int from = 0;
        int to = lines.size();
        if (s.tag() != null) {
            from = indexOf(lines, "tag::" + s.tag() + "[]", 0) + 1;
            to = indexOf(lines, "end::" + s.tag() + "[]", from);
            if (from == 0 || to < 0) {
                problems.add(s.where() + " includes " + s.source() + "#" + s.tag() + ", which has no such tagged region");
                return null;
            }
        }
        List<String> region = lines.subList(from, to).stream().filter(l -> !l.contains("tag::") && !l.contains("end::"))
                .toList();
        int indent = region.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length())
                .min().orElse(0);
        StringBuilder out = new StringBuilder();
        region.forEach(l -> out.append(l.isBlank() ? "" : l.substring(indent)).append('\n'));
        return out.toString().replaceAll("\n+$", "\n");
    }

    private static int indexOf(List<String> lines, String marker, int from) {
        for (int i = from; i < lines.size(); i++) {
            if (lines.get(i).contains(marker)) {
                return i;
            }
        }
        return -1;
    }

    private static String rewrite(List<String> lines, List<Snippet> snippets) throws IOException {
        StringBuilder out = new StringBuilder();
        List<String> ignored = new ArrayList<>();
        int i = 0;
        for (Snippet s : snippets) {
            while (i < s.line()) {
                out.append(lines.get(i++)).append('\n');
            }
            String region = region(s, ignored);
            out.append(region == null ? s.content() : region);
            while (!lines.get(i).equals("```")) {
                i++;
            }
        }
        while (i < lines.size()) {
            out.append(lines.get(i++)).append('\n');
        }
        return out.toString();
    }
}
