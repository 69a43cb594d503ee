package io.robustunit.architecture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apiguardian.api.API;

/** The framework's public top-level types, read from its compiled classes, with their sources' first sentences. */
final class PublicTypes {

    static final Path SOURCES = Path.of("src/main/java");

    private PublicTypes() {
    }

    /** @return every public top-level type of the framework, by name */
    static List<Class<?>> all() {
        Path classes = classesDirectory();
        try (Stream<Path> files = Files.walk(classes)) {
            return files.filter(f -> f.toString().endsWith(".class") && !f.getFileName().toString().contains("$")
                            && !f.getFileName().toString().equals("package-info.class"))
                    .map(f -> classes.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", ""))
                    .map(PublicTypes::load).filter(c -> Modifier.isPublic(c.getModifiers()))
                    .sorted(Comparator.comparing(Class::getName)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Optional<API.Status> status(Class<?> type) {
        return Optional.ofNullable(type.getAnnotation(API.class)).map(API::status);
    }

    /** @return the first sentence of the type's Javadoc, on one line */
    static String summary(Class<?> type) {
        Path source = SOURCES.resolve(type.getName().replace('.', '/') + ".java");
        try {
            String text = Files.readString(source);
            Matcher m = Pattern.compile("/\\*\\*(.*?)\\*/\\s*(@[^\\n]*\\n\\s*)*public ", Pattern.DOTALL).matcher(text);
            if (!m.find()) {
                return "";
            }
            String doc = m.group(1).replaceAll("(?m)^\\s*\\* ?", "").replaceAll("(?s)<(pre|ul)>.*?</\\1>", " ").replaceAll("\\{@(code|link|linkplain) ([^}]*)}", "`$2`")
                    .replaceAll("<[^>]+>", "").replaceAll("\\s+", " ").trim();
            return firstSentence(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String firstSentence(String doc) {
        Matcher end = Pattern.compile("[.:](\\s+(?=[A-Z(`])|$)").matcher(doc);
        while (end.find()) {
            String before = doc.substring(0, end.start());
            if (!before.matches("(?s).*\\b(e\\.g|i\\.e|al|etc|vs)$")) {
                return before + ".";
            }
        }
        return doc;
    }

    static String kind(Class<?> type) {
        if (type.isAnnotation()) {
            return "annotation";
        }
        if (type.isEnum()) {
            return "enum";
        }
        if (type.isRecord()) {
            return "record";
        }
        return type.isInterface() ? "interface" : "class";
    }

    private static Path classesDirectory() {
        try {
            return Path.of(API.class.getClassLoader() == null ? null
                    : PublicTypes.class.getClassLoader().getResource("io/robustunit/junit/AdversarialTest.class").toURI())
                    .getParent().getParent().getParent().getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, PublicTypes.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
