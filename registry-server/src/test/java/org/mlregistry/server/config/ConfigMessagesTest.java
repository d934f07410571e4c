package org.mlregistry.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The configuration's messages for the mistakes that matter most (issue 24): unknown keys named, with the nearest
 * allowed key, unless they may be secrets; syntax errors as {@code FILE:LINE:COL: reason}; sizes with units; a
 * missing storage root. Each message is checked whole, as an operator reads it.
 */
class ConfigMessagesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STORAGE = "'storage':{'type':'filesystem','root':'d'}";

    private static RegistryConfig parse(String json) throws Exception {
        return ConfigParser.parse(JSON.readTree(json.replace('\'', '"')), Path.of("/etc/mlregistry"));
    }

    @Test
    void namesAnUnknownKeyAndTheNearestAllowedOne() {
        assertThatThrownBy(() -> parse("{" + STORAGE + ",'maxFileSizeByte':5}"))
                .hasMessage("config: unknown key `maxFileSizeByte`; did you mean `maxFileSizeBytes`?");
        assertThatThrownBy(() -> parse("{" + STORAGE + ",'guestsCanReadprivate':true}"))
                .hasMessage("config: unknown key `guestsCanReadprivate`; did you mean `guestsCanReadPrivate`?");
        assertThatThrownBy(() -> parse("{'storage':{'type':'filesystem','rot':'d'}}"))
                .hasMessage("storage: unknown key `rot`; did you mean `root`?");
        assertThatThrownBy(() -> parse("{" + STORAGE + ",'projects':[{'id':1,'path':'a','visibility':'public','colour':'x'}]}"))
                .hasMessage("projects[0]: unknown key `colour` (allowed: fileOverwrite, hubNamespace, id, jobTokenAllowlist, members, "
                        + "path, visibility)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"glpat-Zx8Kq2Lm9Np4Rt7Vw1Yb", "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", "Zx8Kq2Lm9Np4Rt7Vw1Yb",
        "3f786850e387550fdab836ed7e6dc881de23001b", "ghp_abcdefghijklmnopqrstuvwxyz0123456789", "eyJhbGciOiJIUzI1NiJ9",
        "AKIAIOSFODNN7EXAMPLE", "my secret token", "aVeryLongKeyThatIsLongerThanThirtyTwoCharacters"})
    void neverEchoesAKeyThatMayBeASecret(String key) {
        assertThatThrownBy(() -> parse("{" + STORAGE + ",'" + key + "':1}"))
                .hasMessage("config: key number 2 is not a known field and is not shown, as it may be a secret (allowed: accessLog, "
                        + "catalog, drainSeconds, fileOverwrite, forwardedHeaders, guestsCanReadPrivate, history, maxConcurrentUploads, "
                        + "maxConcurrentUploadsPerCaller, maxFileSizeBytes, metrics, projects, publicUrl, storage, tls, tokens, web)")
                .message().doesNotContain(key);
    }

    static Stream<Arguments> invalidFiles() {
        return Stream.of(
                arguments("{\"a\":1,}", "1:8: trailing comma: JSON allows no comma before }"),
                arguments("{\"a\":[1,2,]}", "1:11: trailing comma: JSON allows no comma before ]"),
                arguments("{\n  // note\n  \"a\":1}", "2:3: comments are not allowed in JSON"),
                arguments("{\n  # note\n  \"a\":1}", "2:3: comments are not allowed in JSON"),
                arguments("{'a':1}", "1:2: strings and keys need double quotes, not single quotes"),
                arguments("{a:1}", "1:2: keys need double quotes"),
                arguments("{\"a\":glpatZx8Kq2}", "1:6: not a JSON value: strings need double quotes; true, false and null are lowercase"),
                arguments("{\"a\":TRUE}", "1:6: not a JSON value: strings need double quotes; true, false and null are lowercase"),
                arguments("{\"a\":1", "1:7: the file ends too early: a closing } or ] is missing"),
                arguments("{\"a\":\"abc", "1:10: the file ends inside a string: a closing \" is missing"),
                arguments("{\"a\":1 \"b\":2}", "1:8: a comma is missing between two entries"),
                arguments("{\"a\" 1}", "1:6: a colon is missing after a key"),
                arguments("{\"a\":\"x\ny\"}", "1:8: a line break or tab inside a string: write it as \\n or \\t"),
                arguments("{\"a\":1}}", "1:8: content after the configuration object"),
                arguments("{\"a\":\"\\q\"}", "1:8: an unknown escape in a string (a backslash is written \\\\)"),
                arguments("{\"a\":01}", "1:7: not a valid JSON number"),
                arguments("{\"a\":1,,}", "1:8: a comma where a key should be: two in a row, or one after {"),
                arguments("{\"a\":1,\"a\":2}", "1:11: a key appears twice in one object"),
                arguments("{\"a\":1} x", "1:9: content after the configuration object"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidFiles")
    void tellsWhereAndWhyJsonIsInvalid(String content, String expected, @TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("registry.json"), content);
        assertThatThrownBy(() -> ConfigParser.read(file)).isInstanceOf(ConfigException.class).hasMessage(file + ":" + expected);
    }

    @Test
    void aSecretInAnInvalidFileIsNotRepeated(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("registry.json"), "{\"tokens\": [glpat-Zx8Kq2Lm9Np4Rt7Vw1Yb]}");
        assertThatThrownBy(() -> ConfigParser.read(file)).message().doesNotContain("Zx8Kq2");
    }

    @ParameterizedTest
    @CsvSource({"10GiB, 10737418240", "500MB, 500000000", "1.5 GiB, 1610612736", "4kib, 4096", "123, 123", "2TB, 2000000000000"})
    void readsSizesWithUnits(String text, long bytes) throws Exception {
        assertThat(parse("{" + STORAGE + ",'maxFileSizeBytes':'" + text + "'}").access().maxFileSizeBytes()).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10 GB B", "1.5B", "ten", "10PiB", "99999999999TiB", "-1GiB", ""})
    void refusesSizesItCannotRead(String text) {
        assertThatThrownBy(() -> parse("{" + STORAGE + ",'maxFileSizeBytes':'" + text + "'}"))
                .hasMessage("maxFileSizeBytes: must be a number of bytes or a size such as \"10GiB\" or \"500MB\"");
    }

    @ParameterizedTest
    @CsvSource({"storage, accessKeyEnv", "storage, secretKeyEnv"})
    void aSecretPastedWhereAVariableNameGoesIsNotRepeated(String section, String field) {
        String secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        assertThatThrownBy(() -> parse("{'storage':{'type':'s3','bucket':'b','" + field + "':'" + secret + "'}}"))
                .hasMessage(section + "." + field + ": must be the name of an environment variable (letters, digits and _), not its "
                        + "value; the value is not shown, as it may be a secret");
        assertThatThrownBy(() -> parse("{" + STORAGE + ",'catalog':{'type':'jdbc','url':'jdbc:postgresql://db/r','passwordEnv':'"
                + secret + "'}}")).hasMessageStartingWith("catalog.passwordEnv: must be the name of an environment variable")
                .message().doesNotContain(secret);
        assertThatThrownBy(() -> parse("{" + STORAGE + ",'tls':{'keystore':'k.p12','passwordEnv':'hunter 2'}}"))
                .hasMessageStartingWith("tls.passwordEnv: must be the name of an environment variable").message().doesNotContain("hunter");
    }

    @Test
    void theAccessLogIsNeitherServedNorTheConfiguration(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> parse("{'storage':{'type':'filesystem','root':'/srv/models'},'accessLog':{'file':'/srv/models/1/1/a.log'}}"))
                .hasMessage("accessLog.file: must not be inside storage.root");
        Path file = Files.writeString(dir.resolve("registry.json"),
                "{\"storage\":{\"type\":\"filesystem\",\"root\":\"data\"},\"accessLog\":{\"file\":\"registry.json\"}}");
        assertThatThrownBy(() -> ConfigParser.read(file)).hasMessage("accessLog.file: is the configuration file itself");
    }

    @Test
    void aMissingRootIsAnErrorUnlessItMayBeCreated(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("modles");
        StorageConfig strict = parse("{'storage':{'type':'filesystem','root':'" + root + "'}}").storage();
        assertThatThrownBy(() -> strict.open(Map.of()))
                .hasMessage("storage.root: " + root + " does not exist; create it, or set \"createRoot\": true for the server to");
        assertThat(root).doesNotExist();
        StorageConfig lenient = parse("{'storage':{'type':'filesystem','root':'" + root + "','createRoot':true}}").storage();
        try (StorageConfig.Open open = lenient.open(Map.of())) {
            assertThat(open.store()).isNotNull();
        }
        assertThat(root).isDirectory();
        try (StorageConfig.Open again = strict.open(Map.of())) {
            assertThat(again.store()).isNotNull();
        }
    }
}
