package io.robustunit.model.dl4j;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Whether Keras files can be opened: RobustUnit's Keras reader ({@code model.dl4j.keras}) needs DL4J's Keras importer
 * and its HDF5 library, an optional dependency that projects without Keras models never get. This class names
 * neither, so that checking for them loads nothing of theirs.
 */
final class KerasSupport {

    static final String IMPORTER_CLASS = "org.deeplearning4j.nn.modelimport.keras.KerasModelImport";
    static final String HDF5_CLASS = "org.bytedeco.hdf5.global.hdf5";

    private KerasSupport() {
    }

    /**
     * @param format the Keras format found
     * @param source the file or resource, for messages
     * @throws IOException naming the file and the artifact to add if the importer is not on the classpath
     */
    static void require(ModelFormat format, String source) throws IOException {
        require(format, source, KerasSupport.class.getClassLoader());
    }

    /** As {@link #require(ModelFormat, String)}, looking through the given class loader. */
    static void require(ModelFormat format, String source, ClassLoader loader) throws IOException {
        String missing = missing(loader);
        if (missing != null) {
            throw new IOException("model file " + source + " is a " + format.description + "; opening it needs "
                    + "DL4J's Keras importer, and " + missing + " is not on the classpath. Add the dependency "
                    + artifact() + " (test scope, beside robustunit-framework) to open Keras files");
        }
    }

    /** @return the first class of the importer the loader cannot find, or {@code null} if it finds them all */
    static String missing(ClassLoader loader) {
        for (String name : new String[] {IMPORTER_CLASS, HDF5_CLASS}) {
            try {
                Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                return name;
            }
        }
        return null;
    }

    /** @return the importer's Maven coordinates, in the version of the DL4J on the classpath */
    static String artifact() {
        return "org.deeplearning4j:deeplearning4j-modelimport:" + dl4jVersion();
    }

    private static String dl4jVersion() {
        try (InputStream in = KerasSupport.class.getResourceAsStream(
                "/META-INF/maven/org.deeplearning4j/deeplearning4j-nn/pom.properties")) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                return properties.getProperty("version", "<your deeplearning4j-nn version>");
            }
        } catch (IOException e) {
            // the version is only a hint in a message
        }
        return "<your deeplearning4j-nn version>";
    }
}
