package org.mlregistry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.model.Sha256;

/**
 * The server's command line as an operator uses it, through real processes: {@code --help}, {@code --version}, the
 * {@code --flag=value} form and the {@code MLREGISTRY_*} variables, {@code init} and {@code token create} end to end
 * (the tokens they print upload and download a file), and the start failures told in one sentence with exit code 1.
 */
class CommandLineTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void helpListsEveryOptionItsDefaultAndTheExitCodes() throws Exception {
        ServerProcess.Outcome help = ServerProcess.run(List.of("--help"), Map.of());
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--config FILE", "$MLREGISTRY_CONFIG", "--host H", "127.0.0.1", "--port N", "8080", "--demo",
                "--version", "token create", "init DIR", "Exit codes:", "  0  ", "  1  ", "  2  ", "SIGTERM", "SIGHUP");
        assertThat(ServerProcess.run(List.of("-h"), Map.of()).out()).isEqualTo(help.out());
    }

    @Test
    void versionIsTheBuildsVersion() throws Exception {
        ServerProcess.Outcome version = ServerProcess.run(List.of("--version"), Map.of());
        assertThat(version.exit()).isZero();
        assertThat(version.out()).isEqualTo("mlregistry " + pomVersion() + System.lineSeparator());
    }

    /** The parent POM's version, read from the file the build used: independent of how the code finds its own. */
    private static String pomVersion() throws Exception {
        String pom = Files.readString(Path.of("../pom.xml"));
        Matcher m = Pattern.compile("<artifactId>mlregistry-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    @Test
    void aWrongCommandLineExitsWithTwoAndSaysWhy() throws Exception {
        ServerProcess.Outcome unknown = ServerProcess.run(List.of("--colour", "blue"), Map.of());
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("unknown option: --colour" + System.lineSeparator() + "usage: ");
        ServerProcess.Outcome none = ServerProcess.run(List.of(), Map.of());
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).startsWith("give --config FILE (or set MLREGISTRY_CONFIG) or --demo");
        ServerProcess.Outcome port = ServerProcess.run(List.of("--demo"), Map.of("MLREGISTRY_PORT", "eighty"));
        assertThat(port.exit()).isEqualTo(2);
        assertThat(port.err()).startsWith("MLREGISTRY_PORT: not a number: eighty");
    }

    @Test
    void takesTheConfigurationHostAndPortFromTheEnvironmentOrTheEqualsForm() throws Exception {
        Path config = initialize().config();
        try (ServerProcess server = ServerProcess.start(List.of(), dir.resolve("env.log"),
                Map.of("MLREGISTRY_CONFIG", config.toString(), "MLREGISTRY_PORT", "0", "MLREGISTRY_HOST", "127.0.0.1"))) {
            assertThat(get(server.baseUrl() + "/projects/1/packages/ml_models/1/files/x.bin", null).statusCode()).isEqualTo(404);
        }
        try (ServerProcess server = ServerProcess.start(List.of("--config=" + config, "--port=0"), dir.resolve("equals.log"),
                Map.of("MLREGISTRY_CONFIG", "/nonexistent/registry.json"))) {
            assertThat(server.baseUrl()).startsWith("http://127.0.0.1:");
        }
    }

    /** What {@code init} printed: the configuration it wrote and the token. */
    private record Initialized(Path config, String token) {
    }

    private Initialized initialize() throws Exception {
        ServerProcess.Outcome init = ServerProcess.run(List.of("init", dir.resolve("registry").toString()), Map.of());
        assertThat(init.exit()).as(init.err()).isZero();
        Path config = dir.resolve("registry/registry.json");
        assertThat(init.out()).contains("Wrote " + config, "Project 1 'team/models' (private), maintainer 'admin'",
                "java -jar mlregistry-server.jar --config " + config);
        return new Initialized(config, secret(init.out(), "Token of admin \\(scope api; shown once, keep it secret\\): (glpat-\\S+)"));
    }

    private static String secret(String output, String regex) {
        Matcher m = Pattern.compile(regex).matcher(output);
        assertThat(m.find()).as(output).isTrue();
        return m.group(1);
    }

    @Test
    void initAndTokenCreateGiveTokensThatUploadAndDownload() throws Exception {
        Initialized init = initialize();
        assertThat(Files.readString(init.config())).contains(Sha256.ofSecret(init.token()).hex()).doesNotContain(init.token());
        try (ServerProcess server = ServerProcess.start(init.config(), dir.resolve("server.log"))) {
            String api = server.baseUrl() + "/projects/1/ml/mlflow/api/2.0/mlflow/";
            assertThat(send("POST", api + "registered-models/create", init.token(), "{\"name\":\"churn\"}").statusCode()).isEqualTo(200);
            String id = JSON.readTree(send("POST", api + "model-versions/create", init.token(), "{\"name\":\"churn\"}").body())
                    .at("/model_version/version").asText();
            String file = server.baseUrl() + "/projects/1/packages/ml_models/" + id + "/files/model.bin";
            assertThat(send("PUT", file, init.token(), "weights").statusCode()).isEqualTo(201);

            ServerProcess.Outcome created = ServerProcess.run(List.of("token", "create", "--kind", "deploy", "--project", "1",
                    "--scopes", "read_package_registry", "--add-to", init.config().toString()), Map.of());
            assertThat(created.exit()).as(created.err()).isZero();
            String deploy = secret(created.out(), "Token \\(shown once; keep it secret\\): (gldt-\\S+)");
            server.signal("HUP");
            HttpResponse<String> download = null;
            for (int i = 0; i < 100 && (download == null || download.statusCode() != 200); i++) {
                Thread.sleep(100);
                download = send("GET", file, "Deploy-Token", deploy, null);
            }
            assertThat(download.statusCode()).isEqualTo(200);
            assertThat(download.body()).isEqualTo("weights");
            assertThat(send("PUT", file, "Deploy-Token", deploy, "other").statusCode()).isEqualTo(403);
        }
    }

    @Test
    void tokenCreatePrintsAnEntryNamingTheSecretByItsHashOnly() throws Exception {
        ServerProcess.Outcome created = ServerProcess.run(List.of("token", "create", "--user=dev", "--scopes", "api,read_api",
                "--expires", "2027-01-01"), Map.of());
        assertThat(created.exit()).as(created.err()).isZero();
        String secret = secret(created.out(), "Token \\(shown once; keep it secret\\): (glpat-\\S+)");
        JsonNode entry = JSON.readTree(created.out().lines().filter(l -> l.startsWith("  {")).findFirst().orElseThrow());
        assertThat(entry).isEqualTo(JSON.readTree("{\"kind\":\"personal\",\"user\":\"dev\",\"sha256\":\"" + Sha256.ofSecret(secret).hex()
                + "\",\"scopes\":[\"api\",\"read_api\"],\"expiresAt\":\"2027-01-01\"}"));

        ServerProcess.Outcome noScopes = ServerProcess.run(List.of("token", "create", "--user", "dev"), Map.of());
        assertThat(noScopes.exit()).isEqualTo(2);
        assertThat(noScopes.err()).startsWith("--scopes is required, such as --scopes api or --scopes read_api");
        ServerProcess.Outcome job = ServerProcess.run(List.of("token", "create", "--kind", "job", "--user", "dev"), Map.of());
        assertThat(job.err()).startsWith("--project is required for a job token");
        ServerProcess.Outcome badScope = ServerProcess.run(List.of("token", "create", "--user", "dev", "--scopes", "wizard"), Map.of());
        assertThat(badScope.exit()).isEqualTo(2);
    }

    @Test
    void tokenCreateLeavesAFileAloneWhenTheResultWouldBeInvalid() throws Exception {
        Path config = initialize().config();
        String before = Files.readString(config);
        ServerProcess.Outcome created = ServerProcess.run(List.of("token", "create", "--kind", "deploy", "--project", "7",
                "--scopes", "read_package_registry", "--add-to", config.toString()), Map.of());
        assertThat(created.exit()).isEqualTo(2);
        assertThat(created.err()).isEqualTo("config error: tokens[1].project: no project has id 7" + System.lineSeparator());
        assertThat(created.out()).isEmpty();
        assertThat(Files.readString(config)).isEqualTo(before);
        assertThat(dir.resolve("registry")).isDirectoryNotContaining("glob:**.tmp");

        ServerProcess.Outcome again = ServerProcess.run(List.of("init", dir.resolve("registry").toString()), Map.of());
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err()).isEqualTo("config error: " + config + ": exists already; init writes only a new configuration"
                + System.lineSeparator());
        assertThat(Files.readString(config)).isEqualTo(before);
    }

    @Test
    void initPutsTheStorageRootWhereItIsTold() throws Exception {
        Path root = dir.resolve("var/lib/mlregistry");
        ServerProcess.Outcome init = ServerProcess.run(List.of("init", dir.resolve("etc").toString(), "--root", root.toString()), Map.of());
        assertThat(init.exit()).as(init.err()).isZero();
        assertThat(init.out()).contains("Wrote " + dir.resolve("etc/registry.json") + " (files in " + root + ")");
        assertThat(root).isDirectory();
        assertThat(dir.resolve("etc/data")).doesNotExist();
        assertThat(new ObjectMapper().readTree(dir.resolve("etc/registry.json").toFile()).at("/storage/root").asText())
                .isEqualTo(root.toString());
    }

    @Test
    void addingATokenThroughALinkWritesTheFileItPointsAt() throws Exception {
        Path config = initialize().config();
        Path link = Files.createSymbolicLink(dir.resolve("current.json"), config);
        ServerProcess.Outcome created = ServerProcess.run(List.of("token", "create", "--user", "admin", "--scopes", "read_api",
                "--add-to", link.toString()), Map.of());
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(new ObjectMapper().readTree(config.toFile()).get("tokens")).hasSize(2);
    }

    @Test
    void anAddressThisMachineDoesNotHaveIsSaidSo() throws Exception {
        Path config = initialize().config();
        ServerProcess.Outcome start = ServerProcess.run(List.of("--config", config.toString(), "--host", "192.0.2.123", "--port", "0"),
                Map.of());
        assertThat(start.exit()).isEqualTo(1);
        assertThat(start.err()).endsWith("could not start: cannot listen on 192.0.2.123:0: this machine has no such address; choose "
                + "one of its own with --host" + System.lineSeparator());
    }

    @Test
    void tokensAddedAtOnceAreAllKept() throws Exception {
        Path config = initialize().config();
        List<java.util.concurrent.CompletableFuture<ServerProcess.Outcome>> runs = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            runs.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return ServerProcess.run(List.of("token", "create", "--user", "admin", "--scopes", "read_api", "--add-to",
                            config.toString()), Map.of());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (var run : runs) {
            assertThat(run.get().exit()).as(run.get().err()).isZero();
        }
        assertThat(new ObjectMapper().readTree(config.toFile()).get("tokens")).hasSize(7);
    }

    @Test
    void addingATokenKeepsTheFilesModeAndOwner() throws Exception {
        Path config = initialize().config();
        Files.setPosixFilePermissions(config, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        // as root (a service's file edited by an administrator), the file stays the service user's
        boolean givenAway = run("chown", "65534:65534", config.toString());
        int owner = (Integer) Files.getAttribute(config, "unix:uid");
        ServerProcess.Outcome created = ServerProcess.run(List.of("token", "create", "--user", "admin", "--scopes", "read_api",
                "--add-to", config.toString()), Map.of());
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-r-----");
        assertThat(Files.getAttribute(config, "unix:uid")).isEqualTo(owner);
        if (givenAway) {
            assertThat(owner).isEqualTo(65534);
        }
        assertThat(Files.readString(config)).contains("\"read_api\"");
    }

    @Test
    void aPortInUseIsOneSentenceNamingTheAddress() throws Exception {
        Path config = initialize().config();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            ServerProcess.Outcome start = ServerProcess.run(List.of("--config", config.toString(), "--port",
                    Integer.toString(taken.getLocalPort())), Map.of());
            assertThat(start.exit()).isEqualTo(1);
            assertThat(start.err()).endsWith("could not start: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": another process listens there; stop it, or choose another port" + System.lineSeparator());
        }
    }

    @Test
    void anEmbeddedH2CatalogOpenInAnotherProcessIsOneSentenceWithTheFix() throws Exception {
        Path config = initialize().config();
        // H2, as earlier releases made it: one process at a time (SQLite, the default, is shared: SharedRootServerTest)
        Files.writeString(config, Files.readString(config).replaceFirst("\\{", "{ \"catalog\": { \"type\": \"h2\" },"));
        try (ServerProcess first = ServerProcess.start(config, dir.resolve("first.log"))) {
            ServerProcess.Outcome second = ServerProcess.run(List.of("--config", config.toString(), "--port", "0"), Map.of());
            assertThat(second.exit()).isEqualTo(1);
            assertThat(second.err()).endsWith("could not start: the embedded catalog in " + dir.resolve("registry/data/.mlregistry")
                    + " is open in another process: several processes share an H2 catalog only through one server; stop the other "
                    + "process, or give both a catalog they can share (the embedded SQLite, or \"catalog\": {\"type\": \"jdbc\", ...} "
                    + "such as PostgreSQL)"
                    + System.lineSeparator());
            assertThat(first.alive()).isTrue();
        }
    }

    @Test
    void aMissingRootStopsTheStartUnlessItMayBeCreated() throws Exception {
        Path config = Files.writeString(dir.resolve("registry.json"), "{\"storage\": {\"type\": \"filesystem\", \"root\": \"modles\"}}");
        ServerProcess.Outcome start = ServerProcess.run(List.of("--config", config.toString(), "--port", "0"), Map.of());
        assertThat(start.exit()).isEqualTo(2);
        assertThat(start.err()).isEqualTo("config error: storage.root: " + dir.resolve("modles")
                + " does not exist; create it, or set \"createRoot\": true for the server to" + System.lineSeparator());
        assertThat(dir.resolve("modles")).doesNotExist();
    }

    @Test
    void aRootTheServerCannotWriteNamesTheUser() throws Exception {
        Path root = Files.createDirectories(dir.resolve("readonly"));
        Path config = Files.writeString(dir.resolve("registry.json"), "{\"storage\": {\"type\": \"filesystem\", \"root\": \"readonly\"}}");
        // chmod does not stop root, which this test may run as; the immutable attribute stops everyone
        boolean locked = run("chattr", "+i", root.toString()) || (root.toFile().setWritable(false, false) && !Files.isWritable(root));
        org.junit.jupiter.api.Assumptions.assumeTrue(locked, "neither chattr +i nor chmod can make a directory unwritable here");
        try {
            ServerProcess.Outcome start = ServerProcess.run(List.of("--config", config.toString(), "--port", "0"), Map.of());
            assertThat(start.exit()).isEqualTo(2);
            assertThat(start.err()).isEqualTo("config error: storage.root: " + root + " is not writable by user "
                    + System.getProperty("user.name") + ", the user the server runs as" + System.lineSeparator());
        } finally {
            run("chattr", "-i", root.toString());
            root.toFile().setWritable(true, false);
        }
    }

    /** Whether {@code command} ran and succeeded. */
    private static boolean run(String... command) throws InterruptedException {
        try {
            return new ProcessBuilder(command).redirectErrorStream(true).start().waitFor() == 0;
        } catch (java.io.IOException notInstalled) {
            return false;
        }
    }

    @Test
    void startsWithOneLineOfItsOwnAndNoLibraryChatter() throws Exception {
        Path config = initialize().config();
        try (ServerProcess server = ServerProcess.start(config, dir.resolve("start.log"))) {
            List<String> lines = server.log().lines().toList();
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0)).contains("mlregistry " + pomVersion() + " serving files in " + dir.resolve("registry/data")
                    + " with catalog sqlite: 1 projects, 1 tokens, metrics off; listening on " + server.baseUrl());
        }
    }

    private HttpResponse<String> get(String url, String token) throws Exception {
        return send("GET", url, token, null);
    }

    private HttpResponse<String> send(String method, String url, String token, String body) throws Exception {
        return send(method, url, "Authorization", token == null ? null : "Bearer " + token, body);
    }

    private HttpResponse<String> send(String method, String url, String header, String value, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (value != null) {
            b.header(header, value);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
