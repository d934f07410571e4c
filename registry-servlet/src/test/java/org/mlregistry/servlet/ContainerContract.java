package org.mlregistry.servlet;

import org.mlregistry.core.http.AccessLog;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServlet;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Random;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import java.util.List;
import org.mlregistry.core.model.FileEntry;
import org.mlregistry.core.model.DirectoryPath;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ModelVersionRef;
import org.mlregistry.core.spi.ModelFile;
import org.mlregistry.core.spi.ModelFileResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.model.Project;
import org.mlregistry.core.spi.RegistryObserver;
import org.mlregistry.core.testing.CredentialHeaders;
import org.mlregistry.core.testing.Outcome;
import org.mlregistry.core.testing.PermissionTable;
import org.mlregistry.core.testing.RegistryFixture;
import org.mlregistry.core.testing.TestRegistry;
import org.mlregistry.storage.fs.FileSystemModelFileStore;

/**
 * What {@link ModelRegistryServlet} must do in any Servlet 6 container, over real sockets and real files:
 * the raw {@code %2F} route, asynchronous and blocking body writes, a 1 GiB file in constant memory, a
 * client that leaves, the {@code web.xml} wiring through the context attribute, and a smaller set of the
 * protocol tables (the full tables run in {@code registry-core} without a container). One subclass per
 * container starts a real server as docs/embed.md tells embedders to configure it.
 */
public abstract class ContainerContract {

    /** For a container's subclass. */
    protected ContainerContract() {
    }

    static final String AUTH_HEADER = "Bearer " + TestRegistry.TOKEN;
    static final String PUBLIC_ROUTE = "/api/v4/projects/5/packages/ml_models/";
    static final String PRIVATE_ROUTE = "/api/v4/projects/6/packages/ml_models/";

    /**
     * How the servlet is deployed.
     *
     * @param servlet the servlet instance, or {@code null} to let the container create
     *     {@link ModelRegistryServlet} with its no-argument constructor, as {@code web.xml} does
     * @param contextAttribute the value of {@link ModelRegistryServlet#REGISTRY_ATTRIBUTE}, or {@code null}
     */
    protected record Deployment(@Nullable HttpServlet servlet, String contextPath, String mapping, boolean asyncSupported,
                                @Nullable Object contextAttribute) {
    }

    /** A started container on a loopback port. */
    protected interface Container extends AutoCloseable {
        int port();

        /** Stops the container; a failure to stop fails the test. */
        @Override
        void close();

        /** A container on {@code port} that {@code stop} stops. */
        static Container of(int port, Stopper stop) {
            return new Container() {
                @Override
                public int port() {
                    return port;
                }

                @Override
                public void close() {
                    try {
                        stop.stop();
                    } catch (Exception e) {
                        throw new IllegalStateException("the container did not stop", e);
                    }
                }
            };
        }
    }

    /** How a subclass stops its container. */
    protected interface Stopper {
        void stop() throws Exception;
    }

    /** Starts the container with {@code deployment}; the {@code %2F} setting of docs/embed.md applied. */
    protected abstract Container start(Deployment deployment) throws Exception;

    /**
     * Whether the container sends {@code 100 Continue} only when the servlet reads the body (Jetty), so that a refusal
     * reaches a client waiting for it before its body is sent; Tomcat sends it as soon as it has the headers.
     */
    protected boolean continuesOnlyWhenTheBodyIsRead() {
        return true;
    }

    @TempDir
    Path temp;
    Path root;
    Container container;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void startServing() throws Exception {
        root = Files.createDirectories(temp.resolve("root"));
        write("5/1/model.bin", "public weights");
        write("6/1/model.bin", "secret weights");
        write("6/candidate_2/model.bin", "candidate weights");
        Files.createDirectories(root.resolve("6/3")); // an empty version: uploads need the version to exist
        container = serve(registry(), "/", "/api/v4/*", true);
    }

    @AfterEach
    void stopServing() throws Exception {
        container.close();
    }

    private ModelRegistry registry() throws IOException {
        return TestRegistry.of(new FileSystemModelFileStore(root));
    }

    private Container serve(ModelRegistry registry, String contextPath, String mapping, boolean async) throws Exception {
        return start(new Deployment(new ModelRegistryServlet(registry), contextPath, mapping, async, null));
    }

    private Path write(String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    URI uri(Container c, String path) {
        return URI.create("http://127.0.0.1:" + c.port() + path);
    }

    HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        return get(container, path, headers);
    }

    HttpResponse<String> get(Container c, String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(c, path)).timeout(Duration.ofSeconds(30));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends a GET of {@code rawPath} byte for byte (the JDK client normalizes paths) and returns the whole answer. */
    String rawGet(String rawPath) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", container.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + rawPath + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(response);
            return response.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void servesEncodedProjectPathsAndCandidatesFromTheRawUri() throws Exception {
        assertThat(get("/api/v4/projects/team%2Fsub%2Fsecret-models/packages/ml_models/1/files/model.bin",
                "Authorization", AUTH_HEADER).body()).isEqualTo("secret weights");
        assertThat(get(PRIVATE_ROUTE + "candidate%3A2/files/model.bin", "Authorization", AUTH_HEADER).body())
                .isEqualTo("candidate weights");
        assertThat(rawGet("/api/v4/projects/open%2Fmodels/packages/ml_models/1/files/model.bin"))
                .startsWith("HTTP/1.1 200").endsWith("public weights");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "1/files/..%2F..%2F..%2Fsecret.txt",
        "1/files/%2e%2e/%2e%2e/%2e%2e/secret.txt",
        "1/files/%252e%252e/%252e%252e/%252e%252e/secret.txt",
        "1/files/..%5C..%5C..%5Csecret.txt",
        "1/files/../../../secret.txt",
        "1/files/escape.bin",
        "1/files/escape-dir/secret.txt",
        "1/files/%00secret.txt",
    })
    void neverServesAnythingOutsideTheRoot(String tail) throws Exception {
        Files.writeString(temp.resolve("secret.txt"), "TOP SECRET");
        Files.createSymbolicLink(root.resolve("5/1/escape.bin"), temp.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("5/1/escape-dir"), temp);
        String response = rawGet(PUBLIC_ROUTE + tail);
        assertThat(response).doesNotContain("TOP SECRET").doesNotContain("Exception").doesNotContain("at org.");
        assertThat(Integer.parseInt(response.substring(9, 12))).isIn(400, 404);
    }

    @Test
    void answersErrorsAsJsonWithTheirHeaders() throws Exception {
        HttpResponse<String> missing = get(PUBLIC_ROUTE + "1/files/nope.bin");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("{\"message\":\"404 Not Found\"}");
        assertThat(missing.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        HttpResponse<String> unauthorized = get(PUBLIC_ROUTE + "1/files/model.bin", "Authorization", "Bearer glpat-unknown");
        assertThat(unauthorized.statusCode()).isEqualTo(401);
        assertThat(unauthorized.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"mlregistry\"");
        HttpResponse<String> patch = client.send(HttpRequest.newBuilder(uri(container, PUBLIC_ROUTE + "1/files/model.bin"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(patch.statusCode()).isEqualTo(405);
        assertThat(patch.headers().firstValue("Allow")).contains("GET, HEAD, PUT, DELETE");
        HttpResponse<String> anonymousDelete = client.send(HttpRequest.newBuilder(uri(container, PUBLIC_ROUTE + "1/files/model.bin"))
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymousDelete.statusCode()).as("a deletion needs what an upload needs").isEqualTo(401);
        assertThat(get(PUBLIC_ROUTE + "1/files/model.bin").statusCode()).isEqualTo(200);
    }

    @Test
    void answersAStorageFailureWith500AndAJsonBody() throws Exception {
        ModelRegistry broken = TestRegistry.readOnly(new ModelFileResolver() {
            @Override
            public Optional<ModelFile> find(long project, ModelVersionRef version, FilePath path) throws IOException {
                throw new IOException("disk on fire at /secret/location");
            }

            @Override
            public List<FileEntry> list(long project, ModelVersionRef version, DirectoryPath directory) throws IOException {
                throw new IOException("disk on fire at /secret/location");
            }
        });
        try (Container c = serve(broken, "/", "/api/v4/*", true)) {
            HttpResponse<String> r = get(c, PUBLIC_ROUTE + "1/files/model.bin");
            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(r.body()).isEqualTo("{\"message\":\"500 Internal Server Error\"}");
        }
    }

    @Test
    void storesUploadsAndRefusesAStreamedBodyOverTheLimit() throws Exception {
        HttpResponse<String> put = client.send(HttpRequest.newBuilder(uri(container, PRIVATE_ROUTE + "3/files/w/new.bin"))
                .header("Authorization", AUTH_HEADER).PUT(HttpRequest.BodyPublishers.ofString("fresh upload")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(root.resolve("6/3/w/new.bin")).hasContent("fresh upload");
        try (Container small = serve(TestRegistry.of(new FileSystemModelFileStore(root), 100), "/", "/api/v4/*", true)) {
            // chunked: no Content-Length, so the limit is found while reading
            HttpResponse<String> streamed = client.send(HttpRequest.newBuilder(uri(small, PRIVATE_ROUTE + "3/files/big.bin"))
                    .header("Authorization", AUTH_HEADER)
                    .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[5000]))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(streamed.statusCode()).isEqualTo(413);
            assertThat(streamed.body()).startsWith("{\"message\":\"413 Request Entity Too Large");
        }
        assertThat(root.resolve("6/3/big.bin")).doesNotExist();
    }

    @Test
    void worksUnderAContextPathAndUnderAPrefixMapping() throws Exception {
        try (Container mounted = serve(registry(), "/ml", "/*", true)) {
            assertThat(get(mounted, "/ml/api/v4/projects/team%2Fsub%2Fsecret-models/packages/ml_models/1/files/model.bin",
                    "Authorization", AUTH_HEADER).body()).isEqualTo("secret weights");
        }
        try (Container mounted = serve(registry(), "/", "/registry/*", true)) {
            assertThat(get(mounted, "/registry/api/v4/projects/open%2Fmodels/packages/ml_models/1/files/model.bin").body())
                    .isEqualTo("public weights");
            assertThat(get(mounted, "/registry/projects/5/packages/ml_models/1/files/model.bin").body())
                    .isEqualTo("public weights");
        }
    }

    @ParameterizedTest(name = "async supported: {0}")
    @ValueSource(booleans = {true, false})
    void streamsWholeFilesAndMultipartRangesWithOrWithoutAsync(boolean async) throws Exception {
        byte[] content = new byte[8 * 1024 * 1024 + 3];
        new Random(11).nextBytes(content);
        Files.write(root.resolve("5/1/large.bin"), content);
        try (Container c = serve(registry(), "/", "/api/v4/*", async)) {
            HttpResponse<byte[]> whole = client.send(HttpRequest.newBuilder(uri(c, PUBLIC_ROUTE + "1/files/large.bin")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(whole.statusCode()).isEqualTo(200);
            assertThat(sha256(whole.body())).isEqualTo(sha256(content))
                    .isEqualTo(whole.headers().firstValue("X-Checksum-Sha256").orElseThrow());
            HttpResponse<byte[]> parts = client.send(HttpRequest.newBuilder(uri(c, PUBLIC_ROUTE + "1/files/large.bin"))
                    .header("Range", "bytes=0-1,-2").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(parts.statusCode()).isEqualTo(206);
            assertThat(parts.headers().firstValueAsLong("Content-Length")).hasValue(parts.body().length);
            HttpResponse<byte[]> tail = client.send(HttpRequest.newBuilder(uri(c, PUBLIC_ROUTE + "1/files/large.bin"))
                    .header("Range", "bytes=-100000").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(tail.body()).isEqualTo(java.util.Arrays.copyOfRange(content, content.length - 100000, content.length));
        }
    }

    @Test
    void streamsA1GiBSparseFileInConstantMemory() throws Exception {
        long size = 1L << 30;
        Path big = root.resolve("5/1/big.bin");
        try (FileChannel ch = FileChannel.open(big, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {42}), size - 1);
        }
        assertThat(Runtime.getRuntime().maxMemory()).as("proves streaming only with a heap smaller than the file")
                .isLessThan(size / 2);
        HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(uri(container, PUBLIC_ROUTE + "1/files/big.bin")).build(),
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
    }

    @Test
    void releasesTheFileAtOnceWhenTheClientGoesAway() throws Exception {
        Path file = root.resolve("5/1/abandoned.bin");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1}), (512L << 20) - 1);
        }
        Path real = file.toRealPath();
        try (Socket socket = new Socket("127.0.0.1", container.port())) {
            socket.getOutputStream().write(("GET " + PUBLIC_ROUTE + "1/files/abandoned.bin HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            byte[] some = new byte[64 * 1024];
            int read = 0;
            while (read < some.length) {
                read += in.read(some, read, some.length - read);
            }
            assertThat(new String(some, 0, 12, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
            assertThat(openDescriptorsOf(real)).isPositive();
        }
        Instant deadline = Instant.now().plusSeconds(15);
        while (openDescriptorsOf(real) > 0 && Instant.now().isBefore(deadline)) {
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos()); // wait on the condition, bounded
        }
        assertThat(openDescriptorsOf(real)).isZero();
    }

    @Test
    void servesTheRegistryFoundInTheContextAttribute() throws Exception {
        Files.writeString(root.resolve("5/1/model.bin"), "from web.xml");
        try (Container c = start(new Deployment(null, "/", "/api/v4/*", true, registry()))) {
            assertThat(get(c, PUBLIC_ROUTE + "1/files/model.bin").body()).isEqualTo("from web.xml");
        }
    }

    @Test
    void refusesToServeWithoutTheContextAttribute() throws Exception {
        Container c;
        try {
            c = start(new Deployment(null, "/", "/api/v4/*", true, null));
        } catch (Exception e) {
            assertThat(e).hasStackTraceContaining(ModelRegistryServlet.REGISTRY_ATTRIBUTE);
            return;
        }
        try (c) {
            assertThat(get(c, PUBLIC_ROUTE + "1/files/model.bin").statusCode()).isBetween(500, 599);
        }
    }

    @Test
    void writesOneAccessLogLinePerRequestWithNoTokenOrQueryInIt() throws Exception {
        byte[] large = new byte[3 * 1024 * 1024 + 1];
        Files.write(root.resolve("5/1/large.bin"), large);
        java.util.List<String> lines = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        ModelRegistryServlet servlet = new ModelRegistryServlet(registry());
        servlet.accessLog(new AccessLog(lines::add));
        try (Container c = start(new Deployment(servlet, "/", "/api/v4/*", true, null))) {
            get(c, PRIVATE_ROUTE + "1/files/model.bin", "PRIVATE-TOKEN", TestRegistry.TOKEN);
            get(c, PUBLIC_ROUTE + "1/files/model.bin?private_token=glpat-inthequery");
            get(c, "/api/v4/projects/open%2Fmodels/packages/ml_models/candidate:9/files/x.bin");
            HttpResponse<byte[]> big = client.send(HttpRequest.newBuilder(uri(c, PUBLIC_ROUTE + "1/files/large.bin")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(big.body()).hasSize(large.length);
            Instant deadline = Instant.now().plusSeconds(10);
            while (lines.size() < 4 && Instant.now().isBefore(deadline)) {
                LockSupport.parkNanos(Duration.ofMillis(10).toNanos()); // the asynchronous body logs when it is done
            }
        }
        String route = java.util.regex.Pattern.quote("route=/projects/:id/packages/ml_models/:model_version_id/files/*path");
        assertThat(lines).hasSize(4);
        for (String line : java.util.List.of(
                // the project by its id once authorized, the validated path, who, and the agent
                ("method=GET " + route + " project=6 version=1 path=model.bin status=200 bytes=14 duration_ms=\\d+ client=127.0.0.1"
                        + " user=dev kind=access_token agent=Java-http-client/\\S+"),
                // refused before authorization (a token in the query): the project as named, no path, no user
                ("method=GET " + route + " project=5 version=1 status=400 bytes=\\d+ duration_ms=\\d+ client=127.0.0.1"
                        + " agent=Java-http-client/\\S+"),
                ("method=GET " + route + " project=5 version=candidate:9 path=x.bin status=404 bytes=\\d+ "
                        + "duration_ms=\\d+ client=127.0.0.1 agent=Java-http-client/\\S+"),
                ("method=GET " + route + " project=5 version=1 path=large.bin status=200 bytes=" + large.length
                        + " duration_ms=\\d+ client=127.0.0.1 agent=Java-http-client/\\S+"))) {
            assertThat(lines).anySatisfy(l -> assertThat(l).matches(line));
        }
        assertThat(String.join("\n", lines)).doesNotContain("glpat").doesNotContain("private_token");
    }

    @Test
    void answersTheFirstHeadOfALargeFilePlacedByHandAtOnceAndItsEtagOnceHashed() throws Exception {
        long size = 1L << 30;
        Path sparse = root.resolve("5/1/cold.bin");
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(sparse, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {7}), size - 1); // 1 GiB, one byte on disk
        }
        String file = PUBLIC_ROUTE + "1/files/cold.bin";

        HttpResponse<Void> first = client.send(HttpRequest.newBuilder(uri(container, file)).method("HEAD",
                HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValueAsLong("Content-Length")).hasValue(size);
        assertThat(first.headers().firstValue("ETag")).as("answered before the digest is known").isEmpty();
        assertThat(first.headers().firstValue("Last-Modified")).isPresent();
        java.security.MessageDigest expected = java.security.MessageDigest.getInstance("SHA-256");
        byte[] zeros = new byte[1 << 20];
        for (long done = 0; done < size - (1 << 20); done += zeros.length) {
            expected.update(zeros);
        }
        expected.update(zeros, 0, (1 << 20) - 1);
        expected.update((byte) 7);
        String sha = java.util.HexFormat.of().formatHex(expected.digest());
        Optional<String> etag = Optional.empty();
        Instant deadline = Instant.now().plusSeconds(60);
        while (etag.isEmpty() && Instant.now().isBefore(deadline)) {
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // hashed in the background, once
            etag = client.send(HttpRequest.newBuilder(uri(container, file)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding()).headers().firstValue("ETag");
        }
        assertThat(etag).hasValue("\"" + sha + "\"");
    }

    /** What a container reported to the registry's observer. */
    static final class RecordingObserver implements RegistryObserver {
        final java.util.List<String> requests = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        final java.util.concurrent.atomic.AtomicInteger downloads = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger downloadsStarted = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public void requestCompleted(String method, String route, int status, long bytesReceived, long bytesSent, long durationNanos) {
            requests.add(method + " " + status + " received=" + bytesReceived + " sent=" + bytesSent);
        }

        @Override
        public void downloadStarted() {
            downloads.incrementAndGet();
            downloadsStarted.incrementAndGet();
        }

        @Override
        public void downloadFinished() {
            downloads.decrementAndGet();
        }
    }

    @ParameterizedTest(name = "async supported: {0}")
    @ValueSource(booleans = {true, false})
    void reportsEachRequestOnceWithItsBytesAndEndsEveryDownload(boolean async) throws Exception {
        byte[] large = new byte[3 * 1024 * 1024 + 1];
        Files.write(root.resolve("5/1/large.bin"), large);
        RecordingObserver observer = new RecordingObserver();
        ModelRegistry registry = TestRegistry.builder().store(new FileSystemModelFileStore(root)).observer(observer).build();
        try (Container c = serve(registry, "/", "/api/v4/*", async)) {
            assertThat(get(c, PUBLIC_ROUTE + "1/files/model.bin").body()).isEqualTo("public weights");
            HttpResponse<byte[]> big = client.send(HttpRequest.newBuilder(uri(c, PUBLIC_ROUTE + "1/files/large.bin")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(big.body()).hasSize(large.length);
            HttpResponse<String> put = client.send(HttpRequest.newBuilder(uri(c, PRIVATE_ROUTE + "3/files/new.bin"))
                    .header("Authorization", AUTH_HEADER).PUT(HttpRequest.BodyPublishers.ofString("0123456789")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).isEqualTo(201);
            Instant deadline = Instant.now().plusSeconds(10);
            while ((observer.requests.size() < 3 || observer.downloads.get() != 0) && Instant.now().isBefore(deadline)) {
                LockSupport.parkNanos(Duration.ofMillis(10).toNanos()); // the asynchronous body reports when it is done
            }
        }
        assertThat(observer.requests).hasSize(3)
                .contains("GET 200 received=0 sent=14", "GET 200 received=0 sent=" + large.length)
                .anySatisfy(r -> assertThat(r).matches("PUT 201 received=10 sent=[1-9]\\d*"));
        assertThat(observer.downloadsStarted.get()).isEqualTo(2);
        assertThat(observer.downloads.get()).as("every download ended").isZero();
    }

    @Test
    void reportsEveryByteOfLargeDownloadsReadSlowlyAndInRanges() throws Exception {
        byte[] large = new byte[24 << 20];
        new java.util.Random(26).nextBytes(large);
        Files.write(root.resolve("5/1/large.bin"), large);
        RecordingObserver observer = new RecordingObserver();
        ModelRegistry registry = TestRegistry.builder().store(new FileSystemModelFileStore(root)).observer(observer).build();
        java.util.List<String> expected = new java.util.ArrayList<>();
        try (Container c = serve(registry, "/", "/api/v4/*", true)) {
            for (String range : java.util.List.of("", "bytes=1000-", "bytes=-5000000", "bytes=7-7340039")) {
                HttpRequest.Builder b = HttpRequest.newBuilder(uri(c, PUBLIC_ROUTE + "1/files/large.bin"));
                if (!range.isEmpty()) {
                    b.header("Range", range);
                }
                HttpResponse<java.io.InputStream> r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
                long delivered = 0;
                // slowly at first, so that the container finds the connection full again and again
                try (java.io.InputStream in = r.body()) {
                    byte[] chunk = new byte[256 << 10];
                    for (int n, i = 0; (n = in.read(chunk)) >= 0; i++) {
                        delivered += n;
                        if (i < 20) {
                            Thread.sleep(10);
                        }
                    }
                }
                expected.add("GET " + r.statusCode() + " received=0 sent=" + delivered);
            }
            Instant deadline = Instant.now().plusSeconds(10);
            while ((observer.requests.size() < expected.size() || observer.downloads.get() != 0) && Instant.now().isBefore(deadline)) {
                LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
            }
        }
        assertThat(expected).containsExactly("GET 200 received=0 sent=" + large.length, "GET 206 received=0 sent=" + (large.length - 1000),
                "GET 206 received=0 sent=5000000", "GET 206 received=0 sent=7340033");
        assertThat(observer.requests).as("every byte the client had, and no more").containsExactlyInAnyOrderElementsOf(expected);
    }

    static Stream<PermissionTable.Row> privateRows() {
        return PermissionTable.rows().filter(r -> r.project().equals(RegistryFixture.PRIVATE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("privateRows")
    void carriesThePermissionTableOverTheWire(PermissionTable.Row row) throws Exception {
        Project p = row.project();
        Path dir = Files.createDirectories(root.resolve(p.id() + "/1"));
        Files.write(dir.resolve(RegistryFixture.FILE), RegistryFixture.content(p));
        String[] headers = CredentialHeaders.of(row.caller().credentialFor(p.id()));
        String route = "/api/v4/projects/" + p.fullPath().replace("/", "%2F") + "/packages/ml_models/1/files/";
        try (Container c = serve(RegistryFixture.registry(new FileSystemModelFileStore(root), true), "/", "/api/v4/*", true)) {
            HttpResponse<String> read = get(c, route + RegistryFixture.FILE, headers);
            assertThat(read.statusCode()).isEqualTo(row.read().status());
            assertThat(read.body()).isEqualTo(row.read() == Outcome.OK
                    ? new String(RegistryFixture.content(p), StandardCharsets.UTF_8) : row.read().body(p.fullPath()));
            String upload = "uploads/" + row.caller().name().toLowerCase(Locale.ROOT) + ".bin";
            HttpRequest.Builder put = HttpRequest.newBuilder(uri(c, route + upload)).PUT(HttpRequest.BodyPublishers.ofString("x"));
            if (headers.length > 0) {
                put.headers(headers);
            }
            HttpResponse<String> write = client.send(put.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(write.statusCode()).isEqualTo(row.write().status());
            assertThat(write.body()).isEqualTo(row.write().body(p.fullPath()));
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "If-None-Match: \"ETAG\"  | 304 | -",
        "If-Match: \"other\"      | 412 | -",
        "Range: bytes=0-5         | 206 | bytes 0-5/14",
        "Range: bytes=100-        | 416 | bytes */14",
    })
    void carriesConditionalsAndRangesOverTheWire(String header, int status, @Nullable String contentRange) throws Exception {
        String etag = sha256("public weights".getBytes(StandardCharsets.UTF_8));
        int colon = header.indexOf(':');
        HttpResponse<String> r = get(PUBLIC_ROUTE + "1/files/model.bin",
                header.substring(0, colon), header.substring(colon + 1).strip().replace("ETAG", etag));
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Range").orElse(null)).isEqualTo(contentRange);
        if (status == 206) {
            assertThat(r.body()).isEqualTo("public");
        }
    }

    /** Serves {@code registry()} with an in-memory catalog, for the MLflow routes. */
    private Container serveWithCatalog() throws Exception {
        return serve(TestRegistry.builder().store(new FileSystemModelFileStore(root))
                .catalog(new org.mlregistry.core.memory.InMemoryModelCatalog()).build(), "/", "/api/v4/*", true);
    }

    static final String MLFLOW = "/api/v4/projects/5/ml/mlflow/api/2.0/mlflow/";

    /** Threads inside the registry servlet's {@code service} now: what a slow body must not keep. */
    static long threadsInTheServlet() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey() != Thread.currentThread())
                .filter(e -> java.util.Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().equals(ModelRegistryServlet.class.getName())
                        && f.getMethodName().equals("service")))
                .count();
    }

    /** Waits up to 5 s for no thread to be in the servlet; false if one stays. */
    static boolean noThreadInTheServlet() {
        Instant deadline = Instant.now().plusSeconds(5);
        while (Instant.now().isBefore(deadline)) {
            if (threadsInTheServlet() == 0) {
                return true;
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        return false;
    }

    /** Reads one response's status line and headers from {@code in}, up to the blank line. */
    static String head(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            out.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "POST   | registered-models/create | {\"name\": \"trickled\"}  | 200 | trickled",
        "GET    | registered-models/search | {\"filter\": \"name = 'none'\"} | 200 | registered_models",
        "DELETE | registered-models/delete | {\"name\": \"missing\"}   | 404 | RESOURCE_DOES_NOT_EXIST",
    })
    void waitsForATricklingMlflowBodyWithoutAThreadAndAnswersOnceItIsWhole(String method, String op, String body, int status,
                                                                         String expected) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (Container c = serveWithCatalog(); Socket socket = new Socket("127.0.0.1", c.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + MLFLOW + op + " HTTP/1.1\r\nHost: x\r\nAuthorization: " + AUTH_HEADER
                    + "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " + bytes.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(bytes, 0, 3);
            out.flush();
            assertThat(noThreadInTheServlet()).as("a body still arriving is waited for without a thread").isTrue();
            out.write(bytes, 3, bytes.length - 3);
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 " + status).contains(expected);
        }
    }

    @Test
    void asksForAnExpectedBodyOnlyOnceTheRefusalsAreDecided() throws Exception {
        byte[] bytes = "{\"name\": \"continued\"}".getBytes(StandardCharsets.UTF_8);
        String request = "POST " + MLFLOW + "registered-models/create HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Expect: 100-continue\r\nContent-Length: " + bytes.length + "\r\n";
        try (Container c = serveWithCatalog()) {
            try (Socket anonymous = new Socket("127.0.0.1", c.port())) {
                anonymous.setSoTimeout(10_000);
                anonymous.getOutputStream().write((request + "\r\n").getBytes(StandardCharsets.US_ASCII));
                String first = head(anonymous.getInputStream());
                if (!continuesOnlyWhenTheBodyIsRead()) {
                    assertThat(first).startsWith("HTTP/1.1 100");
                    first = head(anonymous.getInputStream());
                }
                assertThat(first).startsWith("HTTP/1.1 401");
            }
            try (Socket developer = new Socket("127.0.0.1", c.port())) {
                developer.setSoTimeout(10_000);
                developer.getOutputStream().write((request + "Authorization: " + AUTH_HEADER + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                assertThat(head(developer.getInputStream())).startsWith("HTTP/1.1 100");
                assertThat(noThreadInTheServlet()).as("the body is waited for without a thread").isTrue();
                developer.getOutputStream().write(bytes);
                assertThat(head(developer.getInputStream())).startsWith("HTTP/1.1 200");
            }
        }
    }

    @Test
    void cutsOffAnMlflowBodyThatArrivesBelowTheMinimumRate() throws Exception {
        try (Container c = serveWithCatalog(); Socket socket = new Socket("127.0.0.1", c.port())) {
            socket.setSoTimeout((int) Duration.ofSeconds(BodyRate.GRACE_SECONDS + 15).toMillis());
            socket.getOutputStream().write(("GET " + MLFLOW + "registered-models/search HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Length: 100000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
            long started = System.nanoTime();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
            assertThat(answer).startsWith("HTTP/1.1 408").contains("minimum data rate");
            assertThat(seconds).as("cut off once the grace period is over, and the connection closed")
                    .isBetween(BodyRate.GRACE_SECONDS - 1, BodyRate.GRACE_SECONDS + 5);
        }
    }

    static long openDescriptorsOf(Path file) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(file);
                } catch (IOException e) {
                    return false; // closed while listing
                }
            }).count();
        }
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
