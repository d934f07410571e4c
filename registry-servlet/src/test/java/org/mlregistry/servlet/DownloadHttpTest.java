package org.mlregistry.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mlregistry.core.model.Project;
import org.mlregistry.core.spi.ModelFileResolver;
import org.mlregistry.storage.fs.FileSystemModelFileStore;

/** Downloads and uploads through a real Jetty over real files. */
class DownloadHttpTest {

    static final String[] AUTH = {"Authorization", "Bearer " + TestRegistry.TOKEN};
    static final String PUBLIC_ROUTE = "/api/v4/projects/5/packages/ml_models/";

    @TempDir
    Path temp;
    Path root;
    JettyHarness jetty;

    @BeforeEach
    void start() throws Exception {
        root = Files.createDirectories(temp.resolve("root"));
        write("5/1/model.bin", "public weights");
        write("6/1/model.bin", "secret weights");
        write("6/1/deep/er/config.json", "{\"layers\":3}");
        write("6/candidate_2/model.bin", "candidate weights");
        write("6/2/my model+v2.bin", "odd name");
        jetty = JettyHarness.servingFiles(root);
    }

    @AfterEach
    void stop() throws Exception {
        jetty.close();
    }

    private Path write(String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    @Nested
    class Routes {
        @Test
        void servesByNumericIdWithGitLabsHeaders() throws Exception {
            HttpResponse<String> r = jetty.get(PUBLIC_ROUTE + "1/files/model.bin");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("public weights");
            assertThat(r.headers().firstValue("Content-Type")).contains("application/octet-stream");
            assertThat(r.headers().firstValue("Content-Length")).contains("14");
            assertThat(r.headers().firstValue("Content-Disposition")).contains("attachment; filename=\"model.bin\"; filename*=UTF-8''model.bin");
        }

        @Test
        void servesByUrlEncodedNamespacedPathCaseInsensitively() throws Exception {
            assertThat(jetty.get("/api/v4/projects/team%2Fsub%2Fsecret-models/packages/ml_models/1/files/model.bin", AUTH).body())
                    .isEqualTo("secret weights");
            assertThat(jetty.get("/api/v4/projects/TEAM%2fSUB%2fSECRET-MODELS/packages/ml_models/1/files/model.bin", AUTH).body())
                    .isEqualTo("secret weights");
        }

        @Test
        void servesNestedPaths() throws Exception {
            HttpResponse<String> r = jetty.get("/api/v4/projects/6/packages/ml_models/1/files/deep/er/config.json", AUTH);
            assertThat(r.body()).isEqualTo("{\"layers\":3}");
            assertThat(r.headers().firstValue("Content-Disposition")).contains("attachment; filename=\"config.json\"; filename*=UTF-8''config.json");
        }

        @Test
        void servesCandidatesWrittenEitherWay() throws Exception {
            assertThat(jetty.get("/api/v4/projects/6/packages/ml_models/candidate:2/files/model.bin", AUTH).body())
                    .isEqualTo("candidate weights");
            assertThat(jetty.get("/api/v4/projects/6/packages/ml_models/candidate%3A2/files/model.bin", AUTH).body())
                    .isEqualTo("candidate weights");
        }

        @Test
        void servesNamesWithSpacesAndPlusSigns() throws Exception {
            assertThat(jetty.get("/api/v4/projects/6/packages/ml_models/2/files/my%20model+v2.bin", AUTH).body())
                    .isEqualTo("odd name");
        }

        @Test
        void answersHeadWithTheHeadersOfGetAndNoBody() throws Exception {
            HttpResponse<String> head = jetty.send(HttpRequest.newBuilder(jetty.uri(PUBLIC_ROUTE + "1/files/model.bin"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()));
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            assertThat(head.headers().firstValue("Content-Length")).contains("14");
            assertThat(head.headers().firstValue("Content-Type")).contains("application/octet-stream");
            assertThat(head.headers().firstValue("Content-Disposition")).contains("attachment; filename=\"model.bin\"; filename*=UTF-8''model.bin");
        }
    }

    @Nested
    class Errors {
        @Test
        void reportsMissingFilesAndVersionsAs404NotFound() throws Exception {
            for (String path : List.of("1/files/nope.bin", "99/files/model.bin", "candidate:1/files/model.bin", "abc/files/model.bin")) {
                HttpResponse<String> r = jetty.get(PUBLIC_ROUTE + path);
                assertThat(r.statusCode()).as(path).isEqualTo(404);
                assertThat(r.body()).as(path).isEqualTo("{\"message\":\"404 Not Found\"}");
            }
        }

        @Test
        void reportsMissingAndHiddenProjectsIdentically() throws Exception {
            HttpResponse<String> hidden = jetty.get("/api/v4/projects/6/packages/ml_models/1/files/model.bin");
            HttpResponse<String> missing = jetty.get("/api/v4/projects/404/packages/ml_models/1/files/model.bin");
            HttpResponse<String> missingPath = jetty.get("/api/v4/projects/no%2Fsuch/packages/ml_models/1/files/model.bin");
            for (HttpResponse<String> r : List.of(hidden, missing, missingPath)) {
                assertThat(r.statusCode()).isEqualTo(404);
                assertThat(r.body()).isEqualTo("{\"message\":\"404 Project Not Found\"}");
            }
            assertThat(hidden.headers().map().keySet()).isEqualTo(missing.headers().map().keySet());
        }

        @Test
        void reportsRoutesThatMatchNothingAs404() throws Exception {
            for (String path : List.of("/api/v4/projects/5/packages/ml_models/1/file/model.bin", "/api/v4/projects",
                    "/api/v4/projects/5/packages/ml_models/1/files")) {
                HttpResponse<String> r = jetty.get(path);
                assertThat(r.statusCode()).as(path).isEqualTo(404);
                assertThat(r.body()).as(path).isEqualTo("{\"message\":\"404 Not Found\"}");
            }
        }

        @Test
        void refusesAnUnencodedSlashInTheProjectPath() throws Exception {
            assertThat(jetty.get("/api/v4/projects/team/sub/secret-models/packages/ml_models/1/files/model.bin", AUTH)
                    .statusCode()).isEqualTo(404);
        }

        @ParameterizedTest
        @ValueSource(strings = {"DELETE", "POST", "PATCH", "OPTIONS"})
        void answersOtherMethodsWith405AndAllow(String method) throws Exception {
            HttpResponse<String> r = jetty.send(HttpRequest.newBuilder(jetty.uri(PUBLIC_ROUTE + "1/files/model.bin"))
                    .method(method, HttpRequest.BodyPublishers.noBody()));
            assertThat(r.statusCode()).isEqualTo(405);
            assertThat(r.headers().firstValue("Allow")).contains("GET, HEAD, PUT");
            assertThat(r.body()).isEqualTo("{\"message\":\"405 Method Not Allowed\"}");
            assertThat(root.resolve("5/1/model.bin")).hasContent("public weights");
        }

        @ParameterizedTest
        @ValueSource(strings = {"Bearer", "Basic %%%", "Basic bm9jb2xvbg==", "Negotiate abc", "Bearer glpat-unknown"})
        void answersGarbageAuthorizationWith401EvenOnPublicProjects(String value) throws Exception {
            HttpResponse<String> r = jetty.get(PUBLIC_ROUTE + "1/files/model.bin", "Authorization", value);
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.body()).isEqualTo("{\"message\":\"401 Unauthorized\"}");
            assertThat(r.headers().firstValue("WWW-Authenticate")).isPresent();
        }

        @Test
        void refusesTwoDifferentCredentialsWith400() throws Exception {
            HttpResponse<String> r = jetty.get(PUBLIC_ROUTE + "1/files/model.bin", "Authorization", "Bearer " + TestRegistry.TOKEN,
                    "PRIVATE-TOKEN", "glpat-other");
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).contains("More than one credential");
        }

        @Test
        void neverEchoesATokenBack() throws Exception {
            HttpResponse<String> r = jetty.get(PUBLIC_ROUTE + "1/files/model.bin", "PRIVATE-TOKEN", "glpat-leakcheck");
            assertThat(r.body()).doesNotContain("leakcheck");
            assertThat(r.headers().map().toString()).doesNotContain("leakcheck");
        }

        @Test
        void turnsAStorageFailureInto500WithoutAStackTrace() throws Exception {
            ModelFileResolver broken = (project, version, path) -> {
                throw new IOException("disk on fire at /secret/location");
            };
            try (JettyHarness brokenJetty = new JettyHarness(new ModelRegistryServlet(TestRegistry.of(broken)), "/", "/api/v4/*")) {
                HttpResponse<String> r = brokenJetty.get(PUBLIC_ROUTE + "1/files/model.bin");
                assertThat(r.statusCode()).isEqualTo(500);
                assertThat(r.body()).isEqualTo("{\"message\":\"500 Internal Server Error\"}");
            }
        }
    }

    @Nested
    class Traversal {
        @BeforeEach
        void secretOutsideTheRoot() throws IOException {
            Files.writeString(temp.resolve("secret.txt"), "TOP SECRET");
            Files.createSymbolicLink(root.resolve("5/1/escape.bin"), temp.resolve("secret.txt"));
            Files.createSymbolicLink(root.resolve("5/1/escape-dir"), temp);
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "1/files/..%2F..%2F..%2Fsecret.txt",
            "1/files/%2e%2e/%2e%2e/%2e%2e/secret.txt",
            "1/files/%2E%2E/%2E%2E/%2E%2E/secret.txt",
            "1/files/%252e%252e/%252e%252e/%252e%252e/secret.txt",
            "1/files/..%5C..%5C..%5Csecret.txt",
            "1/files/../../../secret.txt",
            "1/files/./../../../secret.txt",
            "1/files/escape.bin",
            "1/files/escape-dir/secret.txt",
            "1/files/%00secret.txt",
        })
        void neverServesAnythingOutsideTheRoot(String tail) throws Exception {
            String response = jetty.rawGet(PUBLIC_ROUTE + tail);
            assertThat(response).doesNotContain("TOP SECRET").doesNotContain("Exception").doesNotContain("at org.");
            int status = Integer.parseInt(response.substring(9, 12));
            assertThat(status).isIn(400, 404);
        }

        @Test
        void refusesEncodedDotSegmentsAsInvalidPaths() throws Exception {
            String response = jetty.rawGet(PUBLIC_ROUTE + "1/files/%2e%2e/model.bin");
            assertThat(response).startsWith("HTTP/1.1 400").endsWith("{\"error\":\"path is invalid\"}");
            assertThat(jetty.rawGet(PUBLIC_ROUTE + "1/files/%252e%252e/model.bin"))
                    .startsWith("HTTP/1.1 400").endsWith("{\"error\":\"path is invalid\"}");
            assertThat(jetty.rawGet(PUBLIC_ROUTE + "1/files/a%2Fb.bin"))
                    .startsWith("HTTP/1.1 400").endsWith("{\"error\":\"file_name is invalid\"}");
        }
    }

    @Nested
    class Uploads {
        @Test
        void storesAPutBodyAndServesItBack() throws Exception {
            HttpResponse<String> put = jetty.send(HttpRequest.newBuilder(jetty.uri("/api/v4/projects/6/packages/ml_models/3/files/w/new.bin"))
                    .headers(AUTH).PUT(HttpRequest.BodyPublishers.ofString("fresh upload")));
            assertThat(put.statusCode()).isEqualTo(201);
            assertThat(put.body()).isEqualTo("{\"message\":\"201 Created\"}");
            assertThat(jetty.get("/api/v4/projects/6/packages/ml_models/3/files/w/new.bin", AUTH).body()).isEqualTo("fresh upload");
            assertThat(root.resolve("6/3/w/new.bin")).hasContent("fresh upload");
        }

        @Test
        void refusesToReplaceAFileWith409() throws Exception {
            HttpResponse<String> put = jetty.send(HttpRequest.newBuilder(jetty.uri("/api/v4/projects/6/packages/ml_models/1/files/model.bin"))
                    .headers(AUTH).PUT(HttpRequest.BodyPublishers.ofString("overwrite")));
            assertThat(put.statusCode()).isEqualTo(409);
            assertThat(put.body()).isEqualTo("{\"message\":\"409 Conflict - File already exists\"}");
            assertThat(root.resolve("6/1/model.bin")).hasContent("secret weights");
        }

        @Test
        void refusesFilesOverTheLimitWith413AndStoresNothing() throws Exception {
            try (JettyHarness small = new JettyHarness(
                    new ModelRegistryServlet(TestRegistry.of(new FileSystemModelFileStore(root), 100)), "/", "/api/v4/*")) {
                HttpResponse<String> declared = small.send(HttpRequest.newBuilder(small.uri("/api/v4/projects/6/packages/ml_models/3/files/big.bin"))
                        .headers(AUTH).PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[101])));
                assertThat(declared.statusCode()).isEqualTo(413);
                // chunked: no Content-Length, so the limit is found while reading
                HttpResponse<String> streamed = small.send(HttpRequest.newBuilder(small.uri("/api/v4/projects/6/packages/ml_models/3/files/big.bin"))
                        .headers(AUTH).PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(new byte[5000]))));
                assertThat(streamed.statusCode()).isEqualTo(413);
                assertThat(streamed.body()).startsWith("{\"message\":\"413 Request Entity Too Large");
            }
            assertThat(root.resolve("6/3/big.bin")).doesNotExist();
        }
    }

    @Nested
    class Mounting {
        @Test
        void worksUnderAContextPathWithACatchAllMapping() throws Exception {
            try (JettyHarness mounted = new JettyHarness(
                    new ModelRegistryServlet(TestRegistry.of(new FileSystemModelFileStore(root))), "/ml", "/*")) {
                assertThat(mounted.get("/ml/api/v4/projects/team%2Fsub%2Fsecret-models/packages/ml_models/1/files/model.bin", AUTH)
                        .body()).isEqualTo("secret weights");
            }
        }

        @Test
        void worksUnderAPrefixMapping() throws Exception {
            try (JettyHarness mounted = new JettyHarness(
                    new ModelRegistryServlet(TestRegistry.of(new FileSystemModelFileStore(root))), "/", "/registry/*")) {
                assertThat(mounted.get("/registry/api/v4/projects/open%2Fmodels/packages/ml_models/1/files/model.bin")
                        .body()).isEqualTo("public weights");
                assertThat(mounted.get("/registry/projects/5/packages/ml_models/1/files/model.bin").body())
                        .isEqualTo("public weights");
            }
        }
    }

    @Test
    void streamsA1GiBSparseFileInConstantMemory() throws Exception {
        long size = 1L << 30;
        Path big = root.resolve("5/1/big.bin");
        try (FileChannel ch = FileChannel.open(big, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {42}), size - 1);
        }
        long maxHeap = Runtime.getRuntime().maxMemory();
        assertThat(maxHeap).as("this test proves streaming only with a heap smaller than the file").isLessThan(size / 2);
        HttpResponse<InputStream> r = jetty.client.send(
                HttpRequest.newBuilder(jetty.uri(PUBLIC_ROUTE + "1/files/big.bin")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(size);
        long total = 0;
        int last = -1;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = r.body()) {
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
                last = buf[n - 1];
            }
        }
        assertThat(total).isEqualTo(size);
        assertThat(last).isEqualTo(42);
        assertThat(Optional.of(total)).contains(Files.size(big));
    }
}
