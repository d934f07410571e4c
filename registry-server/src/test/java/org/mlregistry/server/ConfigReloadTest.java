package org.mlregistry.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.storage.fs.FileSystemModelFileStore;

/** Revoking a token in the configuration file takes effect without a restart; a broken file changes nothing. */
class ConfigReloadTest {

    private static final String TOKEN = "glpat-reloadable";
    private final HttpClient client = HttpClient.newHttpClient();

    @TempDir
    Path dir;
    Path config;
    RegistryServer server;

    private static String config(boolean revoked) {
        return """
                {
                  "storage": { "type": "filesystem", "root": "data", "createRoot": true }, "catalog": { "type": "none" },
                  "projects": [ { "id": 1, "path": "grp/proj", "visibility": "private", "members": { "dev": "developer" } } ],
                  "tokens": [ { "kind": "personal", "user": "dev", "sha256": "%s", "scopes": ["api"], "revoked": %s } ]
                }
                """.formatted(Sha256.ofSecret(TOKEN).hex(), revoked);
    }

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(dir.resolve("data/1/1"));
        Files.writeString(dir.resolve("data/1/1/model.bin"), "weights");
        config = Files.writeString(dir.resolve("registry.json"), config(false));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private RegistryServer startServer(Duration interval) throws Exception {
        return RegistryServer.start(ServerOptions.parse(List.of("--config", config.toString(), "--port", "0")),
                new PrintStream(OutputStream.nullOutputStream()), interval);
    }

    private int download() throws IOException, InterruptedException {
        URI uri = URI.create(server.baseUrl() + "/projects/grp%2Fproj/packages/ml_models/1/files/model.bin");
        return client.send(HttpRequest.newBuilder(uri).header("PRIVATE-TOKEN", TOKEN).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void appliesARevocationAndKeepsTheLastGoodConfigWhenTheNewOneIsBroken() throws Exception {
        server = startServer(Duration.ofHours(1)); // checks only when asked
        assertThat(download()).isEqualTo(200);
        assertThat(server.reloadNow()).isFalse(); // unchanged file: nothing to do

        Files.writeString(config, config(true));
        assertThat(server.reloadNow()).isTrue();
        assertThat(download()).isEqualTo(401);

        Files.writeString(config, "{ \"storage\": { \"type\": \"filesystem\" } }");
        assertThat(server.reloadNow()).isFalse();
        assertThat(download()).isEqualTo(401);

        Files.writeString(config, config(false));
        assertThat(server.reloadNow()).isTrue();
        assertThat(download()).isEqualTo(200);
    }

    @Test
    void keepsTheStoreAndItsDigestCacheAcrossAReload() throws Exception {
        server = startServer(Duration.ofHours(1));
        FileSystemModelFileStore store = (FileSystemModelFileStore) server.store();
        assertThat(download()).isEqualTo(200);
        assertThat(store.hashesComputed()).isEqualTo(1);
        // without the sidecar only the in-memory cache of the same store can spare a second hash
        deleteRecursively(dir.resolve("data/.mlregistry/digests"));
        Files.writeString(config, config(false).replace("\"revoked\": false", "\"revoked\": false, \"expiresAt\": \"2099-01-01\""));
        assertThat(server.reloadNow()).isTrue();
        assertThat(download()).isEqualTo(200);
        assertThat(server.store()).isSameAs(store);
        assertThat(store.hashesComputed()).isEqualTo(1);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void noticesAChangedFileByItself() throws Exception {
        server = startServer(Duration.ofMillis(50));
        assertThat(download()).isEqualTo(200);
        Files.writeString(config, config(true));
        Instant deadline = Instant.now().plusSeconds(20);
        int status = download();
        while (status != 401 && Instant.now().isBefore(deadline)) {
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // poll the condition, bounded by the deadline
            status = download();
        }
        assertThat(status).isEqualTo(401);
    }

    @Test
    void sigHupReloadsTheConfigurationInsteadOfStoppingTheServer() throws Exception {
        try (ServerProcess process = ServerProcess.start(config, dir.resolve("server.log"))) {
            URI file = URI.create(process.baseUrl() + "/projects/1/packages/ml_models/1/files/model.bin");
            HttpRequest get = HttpRequest.newBuilder(file).header("PRIVATE-TOKEN", TOKEN).build();
            assertThat(client.send(get, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            Files.writeString(config, config(true));
            process.signal("HUP");
            Instant deadline = Instant.now().plusSeconds(10);
            while (!process.log().contains("SIGHUP") && Instant.now().isBefore(deadline)) {
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
            assertThat(process.log()).contains("SIGHUP: checking the configuration file now");
            while (!process.log().contains("reloaded configuration") && Instant.now().isBefore(deadline)) {
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
            assertThat(process.alive()).as("SIGHUP does not stop the server").isTrue();
            assertThat(client.send(get, HttpResponse.BodyHandlers.ofString()).statusCode()).as("the token is revoked now").isEqualTo(401);
        }
    }
}
