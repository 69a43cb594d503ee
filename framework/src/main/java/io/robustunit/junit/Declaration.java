package io.robustunit.junit;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * Where a test class declares its model or data: a static field, a static method, or a location named on
 * the class. The nearest declaration wins: the class and its superclasses, then each enclosing class.
 */
final class Declaration<A extends Annotation> {

    private final Class<A> type;
    private final Member member;
    private final A onClass;
    private final Class<?> owner;

    private Declaration(Class<A> type, Member member, A onClass, Class<?> owner) {
        this.type = type;
        this.member = member;
        this.onClass = onClass;
        this.owner = owner;
    }

    static <A extends Annotation> Optional<Declaration<A>> find(Class<A> type, List<Class<?>> nearestFirst) {
        for (Class<?> c : nearestFirst) {
            List<Member> members = new ArrayList<>();
            members.addAll(AnnotationSupport.findAnnotatedFields(c, type));
            members.addAll(AnnotationSupport.findAnnotatedMethods(c, type, HierarchyTraversalMode.BOTTOM_UP));
            Optional<A> classLevel = AnnotationSupport.findAnnotation(c, type);
            int count = members.size() + (classLevel.isPresent() ? 1 : 0);
            if (count > 1) {
                List<String> names = new ArrayList<>();
                members.forEach(m -> names.add(describe(m)));
                classLevel.ifPresent(a -> names.add(c.getSimpleName()));
                throw new ExtensionConfigurationException("Configuration error: @" + type.getSimpleName()
                        + " is declared " + count + " times for " + c.getSimpleName() + " " + names
                        + "; declare it once");
            }
            if (!members.isEmpty()) {
                return Optional.of(new Declaration<>(type, members.get(0), null, c));
            }
            if (classLevel.isPresent()) {
                return Optional.of(new Declaration<>(type, null, classLevel.get(), c));
            }
        }
        return Optional.empty();
    }

    static String describe(Member member) {
        return member.getDeclaringClass().getSimpleName() + "." + member.getName() + (member instanceof Method ? "()" : "");
    }

    /** @return e.g. {@code @ModelUnderTest MnistTests.model()} */
    String description() {
        return "@" + type.getSimpleName() + " " + (member != null ? describe(member) : owner.getSimpleName());
    }

    /** @return the annotation on the class, when the location is named there */
    A classAnnotation() {
        return onClass;
    }

    /**
     * IDX files named on a class by {@link TestData} or {@link TrainingData}.
     *
     * @param images the images, a classpath resource or {@code file:PATH}
     * @param labels the labels, likewise
     * @param name the name for reports; empty for the image file's name
     */
    record IdxLocation(String images, String labels, String name) {
    }

    /** @return the IDX files named on the class, or {@code null} for a field or method */
    IdxLocation idxLocation() {
        if (onClass instanceof TestData d) {
            return new IdxLocation(d.images(), d.labels(), d.name());
        }
        if (onClass instanceof TrainingData d) {
            return new IdxLocation(d.images(), d.labels(), d.name());
        }
        return null;
    }

    /** Reads the field or calls the method. */
    Object value() {
        if (!Modifier.isStatic(member.getModifiers())) {
            throw new ExtensionConfigurationException("Configuration error: " + description()
                    + " must be static, as it is shared by every test of the class");
        }
        if (member instanceof Field field) {
            Object value = ReflectionSupport.tryToReadFieldValue(field, null).getOrThrow(
                    e -> new ExtensionConfigurationException(description() + " cannot be read: " + e, e));
            if (value == null) {
                throw new ExtensionConfigurationException("Configuration error: " + description() + " is null");
            }
            return value;
        }
        Method method = (Method) member;
        if (method.getParameterCount() != 0) {
            throw new ExtensionConfigurationException("Configuration error: " + description()
                    + " must not take parameters");
        }
        Object value = ReflectionSupport.invokeMethod(method, null);
        if (value == null) {
            throw new ExtensionConfigurationException("Configuration error: " + description() + " returned null");
        }
        return value;
    }

    /** Resolves {@code file:PATH} to a path, anything else to {@code null} (a classpath resource). */
    static Path fileOf(String location) {
        return location.startsWith("file:") ? Path.of(location.substring("file:".length())) : null;
    }

    /** @return the directory a classpath resource names, if it is one in the file system, else {@code null} */
    Path resourceDirectory(String resource) {
        java.net.URL url = loader().getResource(resource.startsWith("/") ? resource.substring(1) : resource);
        if (url == null || !url.getProtocol().equals("file")) {
            return null;
        }
        try {
            Path path = Path.of(url.toURI());
            return java.nio.file.Files.isDirectory(path) ? path : null;
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    private ClassLoader loader() {
        return owner.getClassLoader() != null ? owner.getClassLoader() : ClassLoader.getSystemClassLoader();
    }

    /** Opens a classpath resource through the test class's loader. */
    java.io.InputStream openResource(String resource) throws IOException {
        String name = resource.startsWith("/") ? resource.substring(1) : resource;
        java.io.InputStream in = loader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException("resource /" + name + " is not on the classpath");
        }
        return in;
    }
}
