package org.mlregistry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.model.Sha256;

/**
 * Crash consistency through real processes: the bundled server (file-system storage with the default embedded
 * SQLite catalog; S3 with PostgreSQL, both outliving the server) under concurrent model creates, version creates,
 * uploads, replacements, model deletes and version deletes (racing the uploads into them), with {@code gc} collecting
 * from another process all the while (no history kept, no grace: every blob nothing refers to may go), is killed with
 * {@code kill -9} at a random moment, restarted on the same data, and checked, again and again. Every manifest row must
 * keep its blob: a file answered stored that is gone or not whole is a violation.
 * After every restart: the server starts without repair; every version whose creation was answered still
 * answers; every file is whole (its bytes hash to the {@code X-Checksum-Sha256} the server sends, and equal
 * one of the uploads made to that name); every upload that was answered 201 is there; nothing of a model or version
 * whose deletion was answered is served; storage holds nothing of any version the catalog no longer has (no orphan:
 * the restart finishes deletions the kill cut short); and a version created after the restart starts empty (no id
 * reused over files of a lost one).
 *
 * <p>{@code mvn verify} runs {@value #DEFAULT_KILLS} kills of each set-up (the H2 loss this test found after
 * its fifth kill, 45 s in, is pinned down quickly by {@code H2KillRecoveryTest}). The full run:
 * {@code mvn -B -pl registry-server -am test -Dtest=CrashConsistencyTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dcrash.kills=100} (about 13 minutes a set-up here).
 */
class CrashConsistencyTest {

    static final int DEFAULT_KILLS = 3;
    private static final String S3_ACCESS = "crash-access";
    private static final String S3_SECRET = "crash-secret";
    private static final String TOKEN = "glpat-crash";
    private static final String MLFLOW = "/projects/1/ml/mlflow/api/2.0/mlflow/";
    private static final String[] PATHS = {"model.bin", "sub/weights.bin", "config.json"};
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<Long, String> versions = new ConcurrentHashMap<>(); // answered creations: version -> model
    private final Set<String> models = ConcurrentHashMap.newKeySet(); // answered creations
    private final Set<String> deleting = ConcurrentHashMap.newKeySet(); // deletion sent
    private final Set<String> deleted = ConcurrentHashMap.newKeySet(); // deletion answered
    private final Set<Long> deletingVersions = ConcurrentHashMap.newKeySet(); // version deletion sent
    private final Set<Long> deletedVersions = ConcurrentHashMap.newKeySet(); // version deletion answered
    private final Map<String, Set<String>> sent = new ConcurrentHashMap<>(); // "version/path" -> SHA-256s of every upload sent
    private final Set<String> stored = ConcurrentHashMap.newKeySet(); // "version/path" answered 201
    private final CountDownLatch firstStored = new CountDownLatch(1);
    private final AtomicInteger names = new AtomicInteger();
    private final List<String> violations = new ArrayList<>();

    @TempDir
    Path dir;

    /** The S3 server lives in this JVM: only the registry is killed. */
    @RegisterExtension
    final S3ProxyExtension proxy = S3ProxyExtension.builder().withCredentials(S3_ACCESS, S3_SECRET).withBlobStoreProvider("transient").build();

    /** Whether storage holds anything of version {@code id} of project 1. */
    private interface Storage {
        boolean holds(long id) throws IOException;
    }

    private Storage storage = id -> false;
    /** The configuration a concurrent {@code gc} (another process's, as an operator runs it) collects on. */
    private Path gcConfig;
    private Map<String, String> gcEnv = Map.of();
    private final AtomicInteger collections = new AtomicInteger();

    @Test
    void onTheFileSystemWithTheEmbeddedCatalog() throws Exception {
        Files.createDirectories(dir.resolve("data"));
        storage = id -> Files.exists(dir.resolve("data/1/" + id));
        run(Files.writeString(dir.resolve("registry.json"), """
                {
                  "storage": { "type": "filesystem", "root": "data", "createRoot": true },
                  "projects": [ { "id": 1, "path": "grp/proj", "visibility": "private", "members": { "dev": "developer" } } ],
                  "tokens": [ { "kind": "personal", "user": "dev", "sha256": "%s", "scopes": ["api"] } ]
                }
                """.formatted(Sha256.ofSecret(TOKEN).hex())), Map.of());
    }

    @Test
    void onS3WithPostgres() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start();
             software.amazon.awssdk.services.s3.S3Client s3 = TestBuckets.client(proxy.getUri(), S3_ACCESS, S3_SECRET)) {
            TestBuckets.create(proxy.getUri(), S3_ACCESS, S3_SECRET, "models");
            storage = id -> !s3.listObjectsV2(l -> l.bucket("models").prefix("1/" + id + "/").maxKeys(1)).contents().isEmpty();
            run(Files.writeString(dir.resolve("registry.json"), """
                    {
                      "storage": { "type": "s3", "bucket": "models", "endpoint": "%s", "pathStyle": true, "stateDirectory": "state",
                                   "accessKeyEnv": "S3_ACCESS", "secretKeyEnv": "S3_SECRET" },
                      "catalog": { "type": "jdbc", "url": "%s", "user": "postgres", "passwordEnv": "DB_PASSWORD" },
                      "projects": [ { "id": 1, "path": "grp/proj", "visibility": "private", "members": { "dev": "developer" } } ],
                      "tokens": [ { "kind": "personal", "user": "dev", "sha256": "%s", "scopes": ["api"] } ]
                    }
                    """.formatted(proxy.getUri(), postgres.getJdbcUrl("postgres", "postgres"), Sha256.ofSecret(TOKEN).hex())),
                    Map.of("S3_ACCESS", S3_ACCESS, "S3_SECRET", S3_SECRET, "DB_PASSWORD", "postgres"));
        }
    }

    /** Kills and restarts the server on {@code config} {@code crash.kills} times, checking after each restart. */
    private void run(Path config, Map<String, String> env) throws Exception {
        gcConfig = config;
        gcEnv = env;
        int kills = Integer.getInteger("crash.kills", DEFAULT_KILLS);
        Random random = new Random(Long.getLong("crash.seed", System.nanoTime()));
        for (int round = 1; round <= kills; round++) {
            snapshotCatalog(); // the embedded catalog as the kill left it, for whoever reads a failure
            ServerProcess server;
            try {
                server = ServerProcess.start(config, dir.resolve("server-" + round + ".log"), List.of(), env);
            } catch (IOException e) {
                violations.add("round " + round + ": the server did not start: " + e.getMessage());
                break;
            }
            try {
                int before = violations.size();
                check(server.baseUrl(), round);
                if (violations.size() > before) {
                    keepLog(server, round); // for whoever reads the failure
                }
                load(server, 150 + random.nextInt(1350));
            } finally {
                server.kill();
            }
        }
        try (ServerProcess last = ServerProcess.start(config, dir.resolve("server-last.log"), List.of(), env)) {
            int before = violations.size();
            check(last.baseUrl(), kills + 1);
            if (violations.size() > before) {
                keepLog(last, kills + 1);
            }
        }
        System.out.printf("crash consistency: %d kills, %d versions, %d files answered stored, %d models and %d versions deleted,"
                + " %d concurrent collections, %d violations%n", kills, versions.size(), stored.size(), deleted.size(),
                deletedVersions.size(), collections.get(), violations.size());
        assertThat(violations).as("after %d kills (%d versions, %d files answered stored, %d models deleted)",
                kills, versions.size(), stored.size(), deleted.size()).isEmpty();
        assertThat(stored).as("the load stored files at all").isNotEmpty();
    }

    private void keepLog(ServerProcess server, int round) throws IOException {
        Path kept = Files.createDirectories(Path.of("target", "crash-logs"));
        Files.writeString(kept.resolve("after-kill-" + (round - 1) + ".log"), server.log());
        Path snapshot = dir.resolve("catalog-as-killed");
        if (Files.isDirectory(snapshot)) {
            copyFiles(snapshot, kept.resolve("catalog-after-kill-" + (round - 1)));
        }
    }

    /** Copies the embedded H2 catalog's files (file system set-up only) before a restart opens them. */
    private void snapshotCatalog() throws IOException {
        Path catalog = dir.resolve("data/.mlregistry/catalog");
        if (Files.isDirectory(catalog)) {
            Path snapshot = dir.resolve("catalog-as-killed");
            if (Files.isDirectory(snapshot)) {
                try (var old = Files.list(snapshot)) {
                    for (Path p : old.toList()) {
                        Files.delete(p);
                    }
                }
            }
            copyFiles(catalog, snapshot);
        }
    }

    private static void copyFiles(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** Four clients doing random operations until the kill at {@code millis}, and not before a first file is stored. */
    private void load(ServerProcess server, int millis) throws Exception {
        String base = server.baseUrl();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(5);
        // garbage collection from another process, keeping no history and no grace: it may delete every blob nothing refers to
        clients.submit(() -> {
            while (running.get()) {
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                java.io.PrintStream print = new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8);
                if (UpkeepCommand.run(List.of("gc", "--config", gcConfig.toString(), "--keep", "none", "--grace-minutes", "0"), gcEnv,
                        print, print) == 0) {
                    collections.incrementAndGet();
                }
                Thread.sleep(20);
            }
            return null;
        });
        for (int i = 0; i < 4; i++) {
            clients.submit(() -> {
                while (running.get()) {
                    try {
                        operation(base);
                    } catch (IOException e) {
                        // the server was killed under this request: its outcome is unknown, the ledger says so
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return null;
                    }
                }
                return null;
            });
        }
        Thread.sleep(millis);
        // a cold server on a slow machine may not have stored anything yet: kill only once the ledger has something to check
        firstStored.await(60, TimeUnit.SECONDS);
        server.kill();
        running.set(false);
        clients.shutdown();
        assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    private void operation(String base) throws IOException, InterruptedException {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        int dice = r.nextInt(100);
        List<Long> live = versions.entrySet().stream().filter(e -> !deleting.contains(e.getValue()))
                .filter(e -> !deletingVersions.contains(e.getKey())).map(Map.Entry::getKey).toList();
        List<String> liveModels = models.stream().filter(m -> !deleting.contains(m)).toList();
        if (dice < 8 || liveModels.isEmpty()) {
            String name = "m" + names.incrementAndGet();
            if (post(base, "registered-models/create", "{\"name\": \"" + name + "\"}").statusCode() == 200) {
                models.add(name);
            }
        } else if (dice < 20 || live.isEmpty()) {
            String model = liveModels.get(r.nextInt(liveModels.size()));
            HttpResponse<String> created = post(base, "model-versions/create", "{\"name\": \"" + model + "\"}");
            if (created.statusCode() == 200) {
                versions.put(JSON.readTree(created.body()).at("/model_version/version").asLong(), model);
            }
        } else if (dice < 24 && liveModels.size() > 2) {
            String model = liveModels.get(r.nextInt(liveModels.size()));
            deleting.add(model);
            HttpResponse<String> d = send(HttpRequest.newBuilder(URI.create(base + MLFLOW + "registered-models/delete"))
                    .method("DELETE", HttpRequest.BodyPublishers.ofString("{\"name\": \"" + model + "\"}")));
            if (d.statusCode() == 200) {
                deleted.add(model);
            }
        } else if (dice < 28 && live.size() > 3) {
            // a version, most likely while another client uploads into it
            long version = live.get(r.nextInt(live.size()));
            deletingVersions.add(version);
            HttpResponse<String> d = send(HttpRequest.newBuilder(URI.create(base + MLFLOW + "model-versions/delete"))
                    .method("DELETE", HttpRequest.BodyPublishers.ofString("{\"name\": \"" + versions.get(version)
                            + "\", \"version\": \"" + version + "\"}")));
            if (d.statusCode() == 200) {
                deletedVersions.add(version);
            }
        } else {
            long version = live.get(r.nextInt(live.size()));
            String path = PATHS[r.nextInt(PATHS.length)];
            byte[] content = new byte[r.nextInt(10) == 0 ? 1_000_000 + r.nextInt(3_000_000) : r.nextInt(200_000)];
            r.nextBytes(content);
            String key = version + "/" + path;
            sent.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(Sha256.hash(content).hex());
            HttpResponse<String> put = send(HttpRequest.newBuilder(URI.create(base + "/projects/1/packages/ml_models/" + version
                    + "/files/" + path)).PUT(HttpRequest.BodyPublishers.ofByteArray(content)));
            if (put.statusCode() == 201) {
                stored.add(key);
                firstStored.countDown();
            }
        }
    }

    private HttpResponse<String> post(String base, String op, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + MLFLOW + op)).POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return http.send(b.header("PRIVATE-TOKEN", TOKEN).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Everything the ledger promises, against the restarted server. */
    private void check(String base, int round) throws Exception {
        for (Map.Entry<Long, String> v : versions.entrySet()) {
            String model = v.getValue();
            HttpResponse<String> got = send(HttpRequest.newBuilder(URI.create(base + MLFLOW + "model-versions/get?name=" + model
                    + "&version=" + v.getKey())).GET());
            if (deleted.contains(model) || deletedVersions.contains(v.getKey())) {
                expect(got.statusCode() == 404, round, "deleted version " + v.getKey() + " of " + model + " answered " + got.statusCode());
            } else if (!deleting.contains(model) && !deletingVersions.contains(v.getKey())) {
                expect(got.statusCode() == 200, round, "version " + v.getKey() + " of " + model + " answered " + got.statusCode());
            }
            if (got.statusCode() == 404) {
                // the catalog no longer has it: storage must not either (the restart finished what the kill cut short)
                expect(!storage.holds(v.getKey()), round, "storage still holds files of deleted version " + v.getKey());
            }
            for (String path : PATHS) {
                checkFile(base, round, v.getKey(), model, path);
            }
        }
        // a version created now must not find files left by one lost before
        List<String> live = models.stream().filter(m -> !deleting.contains(m)).toList();
        if (!live.isEmpty()) {
            String model = live.get(0);
            HttpResponse<String> created = post(base, "model-versions/create", "{\"name\": \"" + model + "\"}");
            expect(created.statusCode() == 200, round, "creating a version after the restart answered " + created.statusCode());
            if (created.statusCode() == 200) {
                long id = JSON.readTree(created.body()).at("/model_version/version").asLong();
                expect(!versions.containsKey(id) && !sent.keySet().stream().anyMatch(k -> k.startsWith(id + "/")), round,
                        "the new version " + id + " reuses the id of one used before the crash");
                versions.put(id, model);
            }
        }
    }

    private void checkFile(String base, int round, long version, String model, String path) throws Exception {
        String key = version + "/" + path;
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + "/projects/1/packages/ml_models/" + version
                + "/files/" + path)).header("PRIVATE-TOKEN", TOKEN).timeout(Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (deleted.contains(model) || deletedVersions.contains(version)) {
            expect(r.statusCode() == 404, round, key + " of a deleted model or version answered " + r.statusCode());
            return;
        }
        if (r.statusCode() == 200) {
            String sha = Sha256.hash(r.body()).hex();
            expect(r.headers().firstValue("X-Checksum-Sha256").orElse("").equals(sha), round, key + " does not hash to its checksum header");
            expect(sent.getOrDefault(key, Set.of()).contains(sha), round, key + " holds bytes no upload sent (" + r.body().length + " bytes)");
        } else {
            expect(r.statusCode() == 404, round, key + " answered " + r.statusCode());
            expect(!stored.contains(key) || deleting.contains(model) || deletingVersions.contains(version), round,
                    key + " was stored (201) but is gone");
        }
    }

    private void expect(boolean holds, int round, String violation) {
        if (!holds) {
            synchronized (violations) {
                violations.add("after kill " + (round - 1) + ": " + violation);
                System.out.println("crash consistency violation after kill " + (round - 1) + ": " + violation); // seen while the run goes on
            }
        }
    }
}
