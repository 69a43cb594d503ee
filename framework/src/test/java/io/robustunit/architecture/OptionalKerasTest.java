package io.robustunit.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Projects without Keras models do not pay for Keras: the framework declares DL4J's Keras importer, which brings the
 * HDF5 library and its natives, as an optional dependency, which Maven never passes on. The consumer project's
 * verify.groovy checks the resulting test class path end to end; this test keeps the declaration in every build.
 */
class OptionalKerasTest {

    private static List<Element> dependencies() throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        // the project's own pom, but parsed as any XML should be: no external DTDs or schemas, secure limits
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        factory.setExpandEntityReferences(false);
        Document pom = factory.newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        Element project = pom.getDocumentElement();
        List<Element> result = new ArrayList<>();
        NodeList children = project.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element e && e.getTagName().equals("dependencies")) {
                NodeList deps = e.getElementsByTagName("dependency");
                for (int j = 0; j < deps.getLength(); j++) {
                    result.add((Element) deps.item(j));
                }
            }
        }
        return result;
    }

    private static String child(Element dependency, String name) {
        NodeList nodes = dependency.getElementsByTagName(name);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().trim();
    }

    @Test
    void theKerasImporterIsAnOptionalDependencyAndNothingElseBringsHdf5() throws Exception {
        List<Element> dependencies = dependencies();
        assertThat(dependencies).filteredOn(d -> child(d, "artifactId").equals("deeplearning4j-modelimport"))
                .singleElement().satisfies(d -> {
                    assertThat(child(d, "optional")).isEqualTo("true");
                    assertThat(child(d, "scope")).isIn("", "compile");
                });
        assertThat(dependencies).filteredOn(d -> !child(d, "optional").equals("true"))
                .extracting(d -> child(d, "artifactId"))
                .isNotEmpty()
                .noneMatch(id -> id.contains("modelimport") || id.contains("hdf5"));
    }
}
