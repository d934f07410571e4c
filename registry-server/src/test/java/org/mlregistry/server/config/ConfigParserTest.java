package org.mlregistry.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mlregistry.core.model.Principal;
import org.mlregistry.core.model.FileOverwrite;
import org.mlregistry.core.model.Role;
import org.mlregistry.core.model.Scope;
import org.mlregistry.core.model.Visibility;

class ConfigParserTest {

    private static final String HASH = "a".repeat(64);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static RegistryConfig parse(String json) throws Exception {
        return ConfigParser.parse(JSON.readTree(json.replace('\'', '"')), Path.of("/etc/mlregistry"));
    }

    @Test
    void readsTheDocumentedExample(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, """
                {
                  "storage": { "type": "filesystem", "root": "data", "createRoot": true },
                  "guestsCanReadPrivate": false,
                  "maxFileSizeBytes": 10737418240,
                  "projects": [
                    { "id": 101, "path": "grp/sub/priv", "visibility": "private",
                      "members": { "dev": "developer", "rep": "reporter", "gst": "guest" },
                      "jobTokenAllowlist": [104] },
                    { "id": 104, "path": "grp/ci", "visibility": "internal" }
                  ],
                  "tokens": [
                    { "kind": "personal", "user": "dev", "sha256": "%1$s", "scopes": ["api"],
                      "expiresAt": "2027-01-01", "revoked": false },
                    { "kind": "job", "user": "dev", "project": 101, "sha256": "%2$s", "running": true },
                    { "kind": "deploy", "project": 101, "sha256": "%3$s", "scopes": ["read_package_registry"] }
                  ]
                }
                """.formatted("1".repeat(64), "2".repeat(64), "3".repeat(64)));
        RegistryConfig c = ConfigParser.read(file);
        assertThat(c.storage().root()).isEqualTo(dir.resolve("data"));
        AccessConfig a = c.access();
        assertThat(a.guestsCanReadPrivate()).isFalse();
        assertThat(a.maxFileSizeBytes()).isEqualTo(10737418240L);
        assertThat(a.projects()).hasSize(2);
        assertThat(a.projects().get(0).visibility()).isEqualTo(Visibility.PRIVATE);
        assertThat(a.projects().get(0).members()).containsEntry("gst", Role.GUEST);
        assertThat(a.projects().get(0).jobTokenAllowlist()).containsExactly(104L);
        assertThat(a.tokens()).extracting(t -> t.kind())
                .containsExactly(Principal.Kind.ACCESS_TOKEN, Principal.Kind.JOB, Principal.Kind.DEPLOY);
        assertThat(a.tokens().get(0).expiresAt()).isEqualTo(LocalDate.of(2027, 1, 1));
        assertThat(a.tokens().get(2).scopes()).containsExactly(Scope.READ_PACKAGE_REGISTRY);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "{}                                                                         | storage",
        "{'storage':{'type':'ftp','root':'d'}}                                      | storage.type",
        "{'storage':{'type':'s3'}}                                                  | storage.bucket",
        "{'storage':{'type':'s3','bucket':'b','endpoint':'minio:9000'}}             | storage.endpoint",
        "{'storage':{'type':'s3','bucket':'b','root':'d'}}                          | storage",
        "{'storage':{'type':'s3','bucket':'b','redirect':'yes'}}                    | storage.redirect",
        "{'storage':{'type':'filesystem'}}                                          | storage.root",
        "{'storage':{'type':'filesystem','root':'d','extra':1}}                     | storage",
        "{'storage':{'type':'filesystem','root':'d'},'colour':'blue'}               | config",
        "{'storage':{'type':'filesystem','root':'d'},'maxFileSizeBytes':-1}         | maxFileSizeBytes",
        "{'storage':{'type':'filesystem','root':'d'},'guestsCanReadPrivate':'yes'}  | guestsCanReadPrivate",
        "{'storage':{'type':'filesystem','root':'d'},'fileOverwrite':'sometimes'}   | fileOverwrite",
        "{'storage':{'type':'filesystem','root':'d'},'catalog':{'type':'mongo'}}    | catalog.type",
        "{'storage':{'type':'filesystem','root':'d'},'catalog':{'type':'jdbc'}}     | catalog.url",
        "{'storage':{'type':'filesystem','root':'d'},'catalog':{'type':'jdbc','url':'postgres://h/db'}} | catalog.url",
        "{'storage':{'type':'filesystem','root':'d'},'catalog':{'type':'h2','url':'jdbc:h2:mem:x'}} | catalog",
        "{'storage':{'type':'filesystem','root':'d'},'catalog':'h2'}                | catalog",
        "{'storage':{'type':'filesystem','root':'d'},'projects':[{'id':1,'path':'a','visibility':'public','fileOverwrite':1}]} | projects[0].fileOverwrite",
        "{'storage':{'type':'filesystem','root':'d'},'projects':[{'id':1,'path':'a','visibility':'public','hubNamespace':'a--b'}]} | projects[0].hubNamespace",
        "{'storage':{'type':'filesystem','root':'d'},'projects':[{'id':1,'path':'a','visibility':'public','hubNamespace':'api'}]} | projects[0].hubNamespace",
        "{'storage':{'type':'filesystem','root':'d'},'projects':[{'id':1,'path':'a','visibility':'public','hubNamespace':7}]} | projects[0].hubNamespace",
        "{'storage':{'type':'filesystem','root':'d'},'projects':[{'id':1,'path':'a','visibility':'public','hubNamespace':'p2'},{'id':2,'path':'b','visibility':'public'}]} | projects[1].hubNamespace",
        "{'storage':{'type':'filesystem','root':'d'},'projects':[{'id':1,'path':'a b','visibility':'public'}]} | projects[0].path",
        "{'storage':{'type':'filesystem','root':'d'},'projects':[{'id':1,'path':'a','visibility':'secret'}]} | projects[0].visibility",
        "{'storage':{'type':'filesystem','root':'d'},'projects':[{'id':1,'path':'a','visibility':'public','members':{'u':'boss'}}]} | projects[0].members.u",
        "{'storage':{'type':'filesystem','root':'d'},'projects':[{'id':1,'path':'a','visibility':'public'},{'id':1,'path':'b','visibility':'public'}]} | projects[1].id",
        "{'storage':{'type':'filesystem','root':'d'},'projects':[{'id':1,'path':'a','visibility':'public'},{'id':2,'path':'A','visibility':'public'}]} | projects[1].path",
        "{'storage':{'type':'filesystem','root':'d'},'projects':[{'id':1,'path':'a','visibility':'public','jobTokenAllowlist':[9]}]} | projects[0].jobTokenAllowlist",
        "{'storage':{'type':'filesystem','root':'d'},'tokens':[{'kind':'oauth','sha256':'HASH'}]} | tokens[0].kind",
        "{'storage':{'type':'filesystem','root':'d'},'tokens':[{'kind':'personal','user':'u','sha256':'HASH','scopes':['api'],'running':true}]} | tokens[0]",
        "{'storage':{'type':'filesystem','root':'d'},'tokens':[{'kind':'personal','user':'u','sha256':'HASH','scopes':['wizard']}]} | tokens[0].scopes[0]",
        "{'storage':{'type':'filesystem','root':'d'},'tokens':[{'kind':'personal','user':'u','sha256':'HASH','scopes':['api'],'expiresAt':'soon'}]} | tokens[0].expiresAt",
        "{'storage':{'type':'filesystem','root':'d'},'tokens':[{'kind':'personal','sha256':'HASH','scopes':['api']}]} | tokens[0].user",
        "{'storage':{'type':'filesystem','root':'d'},'tokens':[{'kind':'job','user':'u','project':5,'sha256':'HASH'}]} | tokens[0].project",
        "{'storage':{'type':'filesystem','root':'d'},'tokens':[{'kind':'deploy','project':5,'sha256':'HASH','scopes':[]}]} | tokens[0].project",
        "{'storage':{'type':'filesystem','root':'d'},'tokens':[{'kind':'personal','user':'u','sha256':'HASH','scopes':['api']},{'kind':'personal','user':'v','sha256':'HASH','scopes':['api']}]} | tokens[1].sha256",
        "{'storage':{'type':'filesystem','root':'d'},'metrics':'yes'}               | metrics",
        "{'storage':{'type':'filesystem','root':'d'},'metrics':{'port':70000}}      | metrics.port",
        "{'storage':{'type':'filesystem','root':'d'},'metrics':{'port':-1}}         | metrics.port",
        "{'storage':{'type':'filesystem','root':'d'},'metrics':{'token':'x'}}       | metrics",
        "{'storage':{'type':'filesystem','root':'d'},'metrics':{'tokenSha256':'abc'}} | metrics.tokenSha256",
        "{'storage':{'type':'filesystem','root':'d'},'publicUrl':'models.example.com'} | publicUrl",
        "{'storage':{'type':'filesystem','root':'d'},'publicUrl':'ftp://models.example.com'} | publicUrl",
        "{'storage':{'type':'filesystem','root':'d'},'publicUrl':'https://models.example.com/?a=b'} | publicUrl",
        "{'storage':{'type':'filesystem','root':'d'},'publicUrl':'https://user:pw@models.example.com'} | publicUrl",
        "{'storage':{'type':'filesystem','root':'d'},'publicUrl':7}                 | publicUrl",
        "{'storage':{'type':'filesystem','root':'d'},'maxConcurrentUploads':0}      | maxConcurrentUploads",
        "{'storage':{'type':'filesystem','root':'d'},'maxConcurrentUploads':20000}  | maxConcurrentUploads",
        "{'storage':{'type':'filesystem','root':'d'},'maxConcurrentUploadsPerCaller':'8'} | maxConcurrentUploadsPerCaller",
    })
    void namesTheFieldAtFault(String json, String field) {
        assertThatThrownBy(() -> parse(json.replace("HASH", HASH)))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.field()).isEqualTo(field));
    }

    /** A secret pasted into the wrong place must not reach the console or a log through an error message. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "token kind         | {'storage':{'type':'filesystem','root':'d'},'tokens':[{'kind':'SECRET','sha256':'HASH'}]}",
        "scope              | {'storage':{'type':'filesystem','root':'d'},'tokens':[{'kind':'personal','user':'u','sha256':'HASH','scopes':['SECRET']}]}",
        "expiry             | {'storage':{'type':'filesystem','root':'d'},'tokens':[{'kind':'personal','user':'u','sha256':'HASH','scopes':[],'expiresAt':'SECRET'}]}",
        "hash               | {'storage':{'type':'filesystem','root':'d'},'tokens':[{'kind':'personal','user':'u','sha256':'SECRET','scopes':[]}]}",
        "token field name   | {'storage':{'type':'filesystem','root':'d'},'tokens':[{'kind':'personal','user':'u','sha256':'HASH','scopes':[],'SECRET':1}]}",
        "top field name     | {'storage':{'type':'filesystem','root':'d'},'SECRET':true}",
        "storage type       | {'storage':{'type':'SECRET','root':'d'}}",
        "visibility         | {'storage':{'type':'filesystem','root':'d'},'projects':[{'id':1,'path':'a','visibility':'SECRET'}]}",
        "role               | {'storage':{'type':'filesystem','root':'d'},'projects':[{'id':1,'path':'a','visibility':'public','members':{'u':'SECRET'}}]}",
        "project path       | {'storage':{'type':'filesystem','root':'d'},'projects':[{'id':1,'path':'SECRET glpat','visibility':'public'}]}",
    })
    void neverEchoesAConfiguredValue(String where, String json) {
        String secret = "glpat-Zq8xVb7Lk2";
        assertThatThrownBy(() -> parse(json.replace("HASH", HASH).replace("SECRET", secret)))
                .as(where).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.getMessage()).doesNotContain("Zq8xVb7Lk2"));
    }

    @Test
    void neverEchoesTheTextOfInvalidJson(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("c.json"), "{\"storage\": glpat-Zq8xVb7Lk2}");
        assertThatThrownBy(() -> ConfigParser.read(file)).isInstanceOf(ConfigException.class)
                .hasMessage(file + ":1:13: not a JSON value: strings need double quotes; true, false and null are lowercase")
                .hasMessageNotContaining("Zq8xVb7Lk2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"storage\":{\"type\":\"filesystem\",\"root\":\"d\"}} xyz",
        "{\"storage\":{\"type\":\"filesystem\",\"root\":\"d\"}} {}", "{\"storage\":{\"type\":\"filesystem\",\"root\":\"d\"}} ]"})
    void refusesContentAfterTheConfigurationObject(String content, @TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("c.json"), content);
        assertThatThrownBy(() -> ConfigParser.read(file)).isInstanceOf(ConfigException.class)
                .hasMessage(file + ":1:46: content after the configuration object");
    }

    @Test
    void readsTheBoundsOfUploadsInProgress() throws Exception {
        AccessConfig defaults = parse("{'storage':{'type':'filesystem','root':'d'}}").access();
        assertThat(defaults.maxConcurrentUploads()).isEqualTo(64);
        assertThat(defaults.maxConcurrentUploadsPerCaller()).isEqualTo(32);
        AccessConfig small = parse("{'storage':{'type':'filesystem','root':'d'},'maxConcurrentUploads':8}").access();
        assertThat(small.maxConcurrentUploads()).isEqualTo(8);
        assertThat(small.maxConcurrentUploadsPerCaller()).as("never above the total").isEqualTo(8);
        AccessConfig both = parse("{'storage':{'type':'filesystem','root':'d'},'maxConcurrentUploads':100,"
                + "'maxConcurrentUploadsPerCaller':4}").access();
        assertThat(both.maxConcurrentUploads()).isEqualTo(100);
        assertThat(both.maxConcurrentUploadsPerCaller()).isEqualTo(4);
    }

    @Test
    void readsTheOverwritePolicyGloballyAndPerProject() throws Exception {
        RegistryConfig c = parse("{'storage':{'type':'filesystem','root':'d'},'fileOverwrite':'refuse','projects':["
                + "{'id':1,'path':'a','visibility':'public','fileOverwrite':'REPLACE'},{'id':2,'path':'b','visibility':'public'}]}");
        assertThat(c.access().fileOverwrite()).isEqualTo(FileOverwrite.REFUSE);
        assertThat(c.access().projects().get(0).fileOverwrite()).isEqualTo(FileOverwrite.REPLACE);
        assertThat(c.access().projects().get(1).fileOverwrite()).isNull();
        assertThat(c.access().projects().get(1).hubNamespace()).isEqualTo("p2");
        assertThat(parse("{'storage':{'type':'filesystem','root':'d'},'projects':[{'id':1,'path':'a','visibility':'public',"
                + "'hubNamespace':'team.models'}]}").access().projects().get(0).hubNamespace()).isEqualTo("team.models");
        assertThat(parse("{'storage':{'type':'filesystem','root':'d'}}").access().fileOverwrite()).isEqualTo(FileOverwrite.REPLACE);
    }

    @Test
    void readsTheCatalogSectionAndRefusesAPasswordVariableThatIsNotSet() throws Exception {
        assertThat(parse("{'storage':{'type':'filesystem','root':'d'}}").catalog()).isEqualTo(CatalogConfig.EMBEDDED);
        assertThat(parse("{'storage':{'type':'filesystem','root':'d'},'catalog':{'type':'none'}}").catalog().type())
                .isEqualTo(CatalogConfig.Type.NONE);
        CatalogConfig jdbc = parse("{'storage':{'type':'filesystem','root':'d'},'catalog':{'type':'jdbc',"
                + "'url':'jdbc:postgresql://db/registry','user':'reg','passwordEnv':'MLREGISTRY_DB_PASSWORD'}}").catalog();
        assertThat(jdbc).isEqualTo(new CatalogConfig(CatalogConfig.Type.JDBC, "jdbc:postgresql://db/registry", "reg",
                "MLREGISTRY_DB_PASSWORD"));
        assertThatThrownBy(() -> jdbc.open(Path.of("/nonexistent"), java.util.Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.field()).isEqualTo("catalog.passwordEnv"));
    }

    @Test
    void reportsInvalidJsonWithItsLine(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("c.json"), "{\n\"storage\": {,\n}");
        assertThatThrownBy(() -> ConfigParser.read(file)).isInstanceOf(ConfigException.class)
                .hasMessage(file + ":2:13: a comma where a key should be: two in a row, or one after {");
    }

    @Test
    void readsMetricsAndThePublicUrl() throws Exception {
        RegistryConfig c = parse("{'storage':{'type':'filesystem','root':'d'},'metrics':{'port':9464,'tokenSha256':'HASH'},"
                .replace("HASH", HASH) + "'publicUrl':'https://models.example.com/registry/'}");
        assertThat(c.metrics()).isEqualTo(new MetricsConfig(true, 9464, org.mlregistry.core.model.Sha256.parseHex(HASH)));
        assertThat(c.publicUrl()).hasToString("https://models.example.com/registry");
        assertThat(parse("{'storage':{'type':'filesystem','root':'d'},'metrics':true}").metrics()).isEqualTo(MetricsConfig.ON);
        assertThat(parse("{'storage':{'type':'filesystem','root':'d'}}").metrics()).isEqualTo(MetricsConfig.OFF);
        assertThat(parse("{'storage':{'type':'filesystem','root':'d'}}").publicUrl()).isNull();
    }

    @Test
    void refusesDuplicateKeys() {
        assertThatThrownBy(() -> ConfigParser.read(writeTemp("{\"storage\":{\"type\":\"filesystem\",\"root\":\"a\",\"root\":\"b\"}}")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("a key appears twice").hasMessageContaining(".json:1:");
    }

    private static Path writeTemp(String content) throws Exception {
        Path f = Files.createTempFile("mlregistry-config", ".json");
        f.toFile().deleteOnExit();
        return Files.writeString(f, content);
    }
}
