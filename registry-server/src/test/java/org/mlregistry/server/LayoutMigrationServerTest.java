package org.mlregistry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.catalog.jdbc.CatalogDataSources;
import org.mlregistry.catalog.jdbc.JdbcModelCatalog;
import org.mlregistry.core.model.ModelName;
import org.mlregistry.core.model.Sha256;

/**
 * A registry directory as the previous release wrote it (versions in the embedded catalog, their files in the
 * directory layout {@code <root>/<project>/<version>/<path>}) adopted by the server when it starts: killed five times
 * mid-migration, every file still answers with its bytes and its {@code ETag} after each restart, and the last start
 * finishes the migration: the layout directories are gone and every file is a blob.
 */
class LayoutMigrationServerTest {

    private static final String TOKEN = "glpat-layout-migration";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int FILES = 600;

    @TempDir
    Path dir;
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private final List<String> violations = new ArrayList<>();

    @Test
    void adoptsTheOldLayoutResumingAfterEveryKill() throws Exception {
        Path root = Files.createDirectories(dir.resolve("data"));
        List<Long> versions = oldRegistry(root);
        Path config = Files.writeString(dir.resolve("registry.json"), """
                {
                  "storage": { "type": "filesystem", "root": "data" },
                  "projects": [ { "id": 1, "path": "team/models", "visibility": "private", "members": { "dev": "developer" } } ],
                  "tokens": [ { "kind": "personal", "user": "dev", "sha256": "%s", "scopes": ["api"] } ]
                }
                """.formatted(Sha256.ofSecret(TOKEN).hex()));
        Random random = new Random(Long.getLong("migration.seed", System.nanoTime()));
        int cutShort = 0;
        for (int round = 1; round <= 5; round++) {
            try (ServerProcess server = ServerProcess.start(config, dir.resolve("server-" + round + ".log"))) {
                checkSome(server.baseUrl(), random, round);
                Thread.sleep(random.nextInt(400));
                server.kill();
                cutShort += server.log().contains("no longer consulted") ? 0 : 1;
            }
        }
        System.out.printf("layout migration: %d of 5 kills cut the migration short, %d files%n", cutShort, files.size());
        try (ServerProcess last = ServerProcess.start(config, dir.resolve("server-last.log"))) {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (versions.stream().anyMatch(v -> Files.exists(root.resolve("1").resolve(Long.toString(v))))
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            for (long v : versions) {
                assertThat(root.resolve("1").resolve(Long.toString(v))).as("the layout directory of version " + v).doesNotExist();
            }
            for (String key : files.keySet()) {
                check(last.baseUrl(), key, "after the migration");
            }
            assertThat(last.log()).contains("the layout is no longer consulted");
        }
        try (var blobs = Files.walk(root.resolve("blobs/sha256"))) {
            assertThat(blobs.filter(Files::isRegularFile).count()).isEqualTo(files.size());
        }
        assertThat(violations).isEmpty();
    }

    /** Two versions in the embedded catalog and their files in the directory layout, as the previous release left them. */
    private List<Long> oldRegistry(Path root) throws Exception {
        List<Long> ids = new ArrayList<>();
        try (HikariDataSource pool = CatalogDataSources.h2(root.resolve(".mlregistry").resolve("catalog"))) {
            JdbcModelCatalog catalog = JdbcModelCatalog.migrate(pool);
            catalog.createModel(1, new ModelName("legacy"), "", List.of(), "dev", Instant.now());
            for (String semver : List.of("1.0.0", "1.1.0")) {
                ids.add(catalog.createVersion(1, new ModelName("legacy"), Optional.of(
                        org.mlregistry.core.model.SemanticVersion.parse(semver)), "", List.of(), Instant.now()).id());
            }
        }
        Random random = new Random(1);
        for (int i = 0; i < FILES; i++) {
            long version = ids.get(i % 2);
            String path = (i % 3 == 0 ? "shards/" : "") + "file-" + i + ".bin";
            byte[] bytes = new byte[16_384 + random.nextInt(65_536)];
            random.nextBytes(bytes);
            Path file = root.resolve("1").resolve(Long.toString(version)).resolve(path);
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
            files.put(version + "/" + path, bytes);
        }
        return ids;
    }

    private void checkSome(String baseUrl, Random random, int round) throws Exception {
        List<String> keys = new ArrayList<>(files.keySet());
        for (int i = 0; i < 20; i++) {
            check(baseUrl, keys.get(random.nextInt(keys.size())), "round " + round);
        }
    }

    private void check(String baseUrl, String key, String when) throws Exception {
        byte[] expected = files.get(key);
        URI url = URI.create(baseUrl + "/projects/1/packages/ml_models/" + key.replaceFirst("/", "/files/"));
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(url).header("PRIVATE-TOKEN", TOKEN).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        String etag = "\"" + Sha256.hash(expected).hex() + "\"";
        if (r.statusCode() != 200 || !java.util.Arrays.equals(r.body(), expected)) {
            violations.add(when + ": " + key + " answered " + r.statusCode() + " with " + r.body().length + " bytes");
        } else if (r.headers().firstValue("ETag").filter(etag::equals).isEmpty()) {
            violations.add(when + ": " + key + " answered the ETag " + r.headers().firstValue("ETag").orElse("(none)"));
        }
    }
}
