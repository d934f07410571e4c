package org.mlregistry.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The configuration file parser under arbitrary content: a configuration error ({@link ConfigException},
 * exit code 2 with the field named) is the only way out, and its message never repeats the secret the
 * input carries. In {@code mvn verify} it replays {@code ConfigFuzzTestInputs/}; to fuzz for 5 minutes:
 * {@code JAZZER_FUZZ=1 mvn -pl registry-server -am test -Dtest='ConfigFuzzTest#anyFile'
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ConfigFuzzTest {

    private static final String SECRET = "glpat-SECRET-never-echoed";
    private static final Path DIR = createDir();

    private static Path createDir() {
        try {
            Path dir = Files.createTempDirectory("config-fuzz");
            Files.createDirectories(dir.resolve("data"));
            dir.toFile().deleteOnExit();
            return dir;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @FuzzTest
    void anyFile(FuzzedDataProvider data) throws Exception {
        // the fuzzer's text, with a secret planted where a value may stand
        String content = data.consumeRemainingAsString().replace("$", SECRET);
        Path file = DIR.resolve("registry.json");
        Files.writeString(file, content);
        try {
            RegistryConfig config = ConfigParser.read(file);
            // what it accepted, it reads the same way again, and names each project and token once
            assertThat(ConfigParser.read(file)).isEqualTo(config);
            assertThat(config.access().projects()).extracting(p -> p.id()).doesNotHaveDuplicates();
            assertThat(config.access().tokens()).extracting(t -> t.sha256()).doesNotHaveDuplicates();
        } catch (ConfigException e) {
            assertThat(e.getMessage()).doesNotContain(SECRET);
        }
    }
}
