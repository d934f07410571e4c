package org.mlregistry.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The BOM an adopter imports ({@code registry-bom}, which has no parent so that it pins nothing but our modules) names
 * every library module of the build, at the build's version: a module added to the parent without the BOM fails here.
 */
class BomTest {

    @Test
    void theBomNamesEveryModuleAtTheBuildsVersion() throws Exception {
        String parent = Files.readString(Path.of("../pom.xml"));
        String bom = Files.readString(Path.of("../registry-bom/pom.xml"));
        Matcher version = Pattern.compile("<artifactId>mlregistry-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(parent);
        assertThat(version.find()).isTrue();
        assertThat(bom).contains("<artifactId>registry-bom</artifactId>\n  <version>" + version.group(1) + "</version>")
                .doesNotContain("<parent>");
        List<String> modules = new ArrayList<>();
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(parent);
        while (m.find()) {
            if ((m.group(1).startsWith("registry-") || m.group(1).startsWith("mlregistry-")) && !m.group(1).equals("registry-bom")) {
                modules.add(m.group(1));
            }
        }
        assertThat(modules).contains("registry-core", "registry-server", "mlregistry-spring-boot-starter");
        for (String module : modules) {
            assertThat(bom).as(module).contains("<artifactId>" + module + "</artifactId>\n        <version>${project.version}</version>");
        }
    }
}
