package org.mlregistry.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** registry-core must stay usable without a servlet container: no Jakarta or Jetty types, ever. */
class CoreIsContainerFreeTest {

    private static final Pattern FORBIDDEN = Pattern.compile("^\\s*import\\s+(static\\s+)?(jakarta\\.|javax\\.servlet|org\\.eclipse\\.jetty)",
            Pattern.MULTILINE);
    private static final Pattern QUALIFIED = Pattern.compile("\\b(jakarta\\.servlet|org\\.eclipse\\.jetty)\\.");

    @Test
    void mainSourcesImportNoContainerTypes() throws IOException {
        Path sources = Path.of("src/main/java");
        assertThat(sources).isDirectory();
        List<String> offenders;
        try (Stream<Path> files = Files.walk(sources)) {
            offenders = files.filter(p -> p.toString().endsWith(".java")).filter(p -> {
                try {
                    String text = Files.readString(p);
                    return FORBIDDEN.matcher(text).find() || QUALIFIED.matcher(text).find();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).map(Path::toString).collect(Collectors.toList());
        }
        assertThat(offenders).as("registry-core files referring to jakarta.* or org.eclipse.jetty.*").isEmpty();
    }

    @Test
    void theCheckRecognisesAnOffendingImport() {
        assertThat(FORBIDDEN.matcher("package x;\nimport jakarta.servlet.http.HttpServlet;\n").find()).isTrue();
        assertThat(QUALIFIED.matcher("var s = new org.eclipse.jetty.server.Server();").find()).isTrue();
        assertThat(FORBIDDEN.matcher("import java.util.List;").find()).isFalse();
    }
}
