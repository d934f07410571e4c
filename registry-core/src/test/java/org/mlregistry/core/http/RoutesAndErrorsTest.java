package org.mlregistry.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mlregistry.core.memory.InMemoryModelFileStore;
import org.mlregistry.core.model.FileMetadata;
import org.mlregistry.core.model.FileOverwrite;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ModelVersionRef;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.spi.ModelFile;
import org.mlregistry.core.spi.ModelFileResolver;
import org.mlregistry.core.testing.InMemoryHttp;
import org.mlregistry.core.testing.InMemoryRequest;
import org.mlregistry.core.testing.InMemoryResponse;
import org.mlregistry.core.testing.RegistryFixture;
import org.mlregistry.core.testing.TestRegistry;

/** The file route through the handler, no container: routes, error bodies, credentials, uploads, delivery. */
class RoutesAndErrorsTest {

    static final String[] AUTH = {"Authorization", "Bearer " + TestRegistry.TOKEN};
    static final String PUBLIC_ROUTE = "/api/v4/projects/5/packages/ml_models/";
    static final String PRIVATE_ROUTE = "/api/v4/projects/6/packages/ml_models/";

    InMemoryModelFileStore store;
    InMemoryHttp http;

    @BeforeEach
    void setUp() {
        store = new InMemoryModelFileStore(RegistryFixture.CLOCK);
        put(5, ModelVersionRef.ofVersion(1), "model.bin", "public weights");
        put(6, ModelVersionRef.ofVersion(1), "model.bin", "secret weights");
        put(6, ModelVersionRef.ofVersion(1), "deep/er/config.json", "{\"layers\":3}");
        put(6, ModelVersionRef.ofCandidate(2), "model.bin", "candidate weights");
        put(6, ModelVersionRef.ofVersion(2), "my model+v2.bin", "odd name");
        store.addVersion(6, ModelVersionRef.ofVersion(3)); // empty versions, as empty directories are
        store.addVersion(6, ModelVersionRef.ofVersion(4));
        http = new InMemoryHttp(TestRegistry.of(store));
    }

    private void put(long project, ModelVersionRef version, String path, String content) {
        store.put(project, version, FilePath.parse(path), content.getBytes(StandardCharsets.UTF_8));
    }

    private static InMemoryHttp serving(ModelFileResolver files) {
        return new InMemoryHttp(TestRegistry.readOnly(files));
    }

    /** How a test's storage finds a file: it has every version, and lists nothing. */
    private interface Finder {
        Optional<ModelFile> find(long project, ModelVersionRef version, FilePath path) throws IOException;
    }

    private static InMemoryHttp finding(Finder finder) {
        return serving(new ModelFileResolver() {
            @Override
            public Optional<ModelFile> find(long project, ModelVersionRef version, FilePath path) throws IOException {
                return finder.find(project, version, path);
            }

            @Override
            public boolean hasVersion(long project, ModelVersionRef version) {
                return true;
            }

            @Override
            public java.util.List<org.mlregistry.core.model.FileEntry> list(long project, ModelVersionRef version,
                                                                           org.mlregistry.core.model.DirectoryPath directory) {
                return java.util.List.of();
            }
        });
    }

    @Nested
    class Routes {
        @Test
        void servesByNumericIdWithGitLabsHeaders() {
            InMemoryResponse r = http.get(PUBLIC_ROUTE + "1/files/model.bin");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("public weights");
            assertThat(r.header("Content-Type")).contains("application/octet-stream");
            assertThat(r.header("Content-Length")).contains("14");
            assertThat(r.header("Content-Disposition")).contains("attachment; filename=\"model.bin\"; filename*=UTF-8''model.bin");
        }

        @Test
        void servesByUrlEncodedNamespacedPathCaseInsensitively() {
            assertThat(http.get("/api/v4/projects/team%2Fsub%2Fsecret-models/packages/ml_models/1/files/model.bin", AUTH)
                    .bodyText()).isEqualTo("secret weights");
            assertThat(http.get("/api/v4/projects/TEAM%2fSUB%2fSECRET-MODELS/packages/ml_models/1/files/model.bin", AUTH)
                    .bodyText()).isEqualTo("secret weights");
        }

        @Test
        void acceptsThePathWithoutTheApiPrefix() {
            assertThat(http.get("/projects/5/packages/ml_models/1/files/model.bin").bodyText()).isEqualTo("public weights");
        }

        @Test
        void servesNestedPaths() {
            InMemoryResponse r = http.get(PRIVATE_ROUTE + "1/files/deep/er/config.json", AUTH);
            assertThat(r.bodyText()).isEqualTo("{\"layers\":3}");
            assertThat(r.header("Content-Disposition")).contains("attachment; filename=\"config.json\"; filename*=UTF-8''config.json");
        }

        @Test
        void servesCandidatesWrittenEitherWay() {
            assertThat(http.get(PRIVATE_ROUTE + "candidate:2/files/model.bin", AUTH).bodyText()).isEqualTo("candidate weights");
            assertThat(http.get(PRIVATE_ROUTE + "candidate%3A2/files/model.bin", AUTH).bodyText()).isEqualTo("candidate weights");
        }

        @Test
        void servesNamesWithSpacesAndPlusSigns() {
            assertThat(http.get(PRIVATE_ROUTE + "2/files/my%20model+v2.bin", AUTH).bodyText()).isEqualTo("odd name");
        }

        @Test
        void judgesMethodAndCredentialsAgainOnAPathParsedBefore() {
            String path = PRIVATE_ROUTE + "1/files/model.bin";
            assertThat(http.get(path, AUTH).bodyText()).isEqualTo("secret weights");
            // the same raw path again: its parsed route is reused, nothing else of the earlier answer
            assertThat(http.send(InMemoryRequest.of("POST", path)).statusCode()).isEqualTo(405);
            assertThat(http.get(path).statusCode()).isEqualTo(404);
            assertThat(http.get(path, "Authorization", "Bearer glpat-unknown").statusCode()).isEqualTo(401);
            assertThat(http.head(path, AUTH).statusCode()).isEqualTo(200);
            assertThat(http.get(path, AUTH).bodyText()).isEqualTo("secret weights");
        }

        @Test
        void answersATooLongPathAsAbsentForGetAndAsTooLongForPutEachTime() {
            String longPath = PUBLIC_ROUTE + "1/files/" + "d/".repeat(FilePath.MAX_DEPTH + 1) + "model.bin";
            for (int i = 0; i < 2; i++) {
                assertThat(http.get(longPath).statusCode()).isEqualTo(404);
                assertThat(http.send(InMemoryRequest.of("PUT", longPath).headers(AUTH).body(new byte[1])).statusCode())
                        .isEqualTo(414);
            }
        }

        @Test
        void answersHeadWithTheHeadersOfGetAndNoBody() {
            InMemoryResponse head = http.head(PUBLIC_ROUTE + "1/files/model.bin");
            InMemoryResponse get = http.get(PUBLIC_ROUTE + "1/files/model.bin");
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.bodyBytes()).isEmpty();
            assertThat(head.headers()).isEqualTo(get.headers());
        }
    }

    @Nested
    class Errors {
        @Test
        void reportsMissingFilesAndVersionsAs404NotFound() {
            for (String path : List.of("1/files/nope.bin", "99/files/model.bin", "candidate:1/files/model.bin", "abc/files/model.bin")) {
                InMemoryResponse r = http.get(PUBLIC_ROUTE + path);
                assertThat(r.statusCode()).as(path).isEqualTo(404);
                assertThat(r.bodyText()).as(path).isEqualTo("{\"message\":\"404 Not Found\"}");
                assertThat(r.header("Content-Type")).as(path).contains("application/json");
            }
        }

        @Test
        void reportsMissingAndHiddenProjectsIdentically() {
            InMemoryResponse hidden = http.get(PRIVATE_ROUTE + "1/files/model.bin");
            InMemoryResponse missing = http.get("/api/v4/projects/404/packages/ml_models/1/files/model.bin");
            InMemoryResponse missingPath = http.get("/api/v4/projects/no%2Fsuch/packages/ml_models/1/files/model.bin");
            InMemoryResponse impossiblePath = http.get("/api/v4/projects/grp%2F..%2Fsecret/packages/ml_models/1/files/x");
            for (InMemoryResponse r : List.of(hidden, missing, missingPath, impossiblePath)) {
                assertThat(r.statusCode()).isEqualTo(404);
                assertThat(r.bodyText()).isEqualTo("{\"message\":\"404 Project Not Found\"}");
                assertThat(r.headers()).isEqualTo(missing.headers());
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"/api/v4/projects/5/packages/ml_models/1/file/model.bin", "/api/v4/projects",
            "/api/v4/projects/5/packages/ml_models/1/files", "/api/v3/projects/5/packages/ml_models/1/files/x",
            "/api/v4/projects/open/models/packages/ml_models/1/files/model.bin", "/", ""})
        void reportsRoutesThatMatchNothingAs404(String path) {
            InMemoryResponse r = http.get(path);
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.bodyText()).isEqualTo("{\"message\":\"404 Not Found\"}");
        }

        @ParameterizedTest
        @ValueSource(strings = {"DELETE", "POST", "PUT", "GET"})
        void reportsAPathThatMatchesNoRouteAs404WhateverTheMethod(String method) {
            InMemoryResponse r = http.send(InMemoryRequest.of(method, "/api/v4/projects/5/packages/ml_models/1/file/model.bin")
                    .headers(AUTH));
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.bodyText()).isEqualTo("{\"message\":\"404 Not Found\"}");
        }

        @ParameterizedTest
        @ValueSource(strings = {"POST", "PATCH", "OPTIONS", "get", "delete"})
        void answersOtherMethodsWith405AndAllow(String method) {
            InMemoryResponse r = http.send(InMemoryRequest.of(method, PUBLIC_ROUTE + "1/files/model.bin"));
            assertThat(r.statusCode()).isEqualTo(405);
            assertThat(r.header("Allow")).contains("GET, HEAD, PUT, DELETE");
            assertThat(r.bodyText()).isEqualTo("{\"message\":\"405 Method Not Allowed\"}");
        }

        @ParameterizedTest
        @ValueSource(strings = {"Bearer", "Basic %%%", "Basic bm9jb2xvbg==", "Negotiate abc", "Bearer glpat-unknown"})
        void answersGarbageAuthorizationWith401EvenOnPublicProjects(String value) {
            InMemoryResponse r = http.get(PUBLIC_ROUTE + "1/files/model.bin", "Authorization", value);
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.bodyText()).isEqualTo("{\"message\":\"401 Unauthorized\"}");
            assertThat(r.header("WWW-Authenticate")).contains("Bearer realm=\"mlregistry\"");
        }

        @Test
        void refusesTwoDifferentCredentialsWith400() {
            InMemoryResponse r = http.get(PUBLIC_ROUTE + "1/files/model.bin", "Authorization", "Bearer " + TestRegistry.TOKEN,
                    "PRIVATE-TOKEN", "glpat-other");
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.bodyText()).isEqualTo("{\"message\":\"400 Bad request - More than one credential was given; send exactly one\"}");
        }

        @Test
        void refusesTokensInTheQueryStringWithoutEchoingThem() {
            InMemoryResponse r = http.get(PUBLIC_ROUTE + "1/files/model.bin?private_token=glpat-inquery");
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.bodyText()).doesNotContain("glpat-inquery").contains("query string");
        }

        @Test
        void neverEchoesATokenBack() {
            InMemoryResponse r = http.get(PUBLIC_ROUTE + "1/files/model.bin", "PRIVATE-TOKEN", "glpat-leakcheck");
            assertThat(r.bodyText()).doesNotContain("leakcheck");
            assertThat(r.headers().toString()).doesNotContain("leakcheck");
        }

        @Test
        void letsAStorageFailureThroughForTheContainerToAnswer500() {
            InMemoryHttp broken = finding((project, version, path) -> {
                throw new IOException("disk on fire");
            });
            assertThatThrownBy(() -> broken.get(PUBLIC_ROUTE + "1/files/model.bin"))
                    .isInstanceOf(UncheckedIOException.class).hasRootCauseMessage("disk on fire");
        }

        @ParameterizedTest
        @ValueSource(strings = {"%2e%2e/model.bin", "%252e%252e/model.bin", "../model.bin", "./model.bin", "a//model.bin"})
        void refusesDotAndEmptySegmentsAsInvalidPaths(String tail) {
            InMemoryResponse r = http.get(PUBLIC_ROUTE + "1/files/" + tail);
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.bodyText()).isEqualTo("{\"error\":\"path is invalid\"}");
        }

        @ParameterizedTest
        @ValueSource(strings = {"a%2Fb.bin", "a%5Cb.bin", "%00secret.txt", "..", "%zz", "model%3Bv=1", "x/"})
        void refusesBadFileNamesAsInvalid(String tail) {
            InMemoryResponse r = http.get(PUBLIC_ROUTE + "1/files/" + tail);
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.bodyText()).isEqualTo("{\"error\":\"file_name is invalid\"}");
        }
    }

    @Nested
    class Uploads {
        @Test
        void storesAPutBodyAndServesItBack() {
            InMemoryResponse put = http.put(PRIVATE_ROUTE + "3/files/w/new.bin", "fresh upload".getBytes(StandardCharsets.UTF_8), AUTH);
            assertThat(put.statusCode()).isEqualTo(201);
            assertThat(put.bodyText()).isEqualTo("{\"message\":\"201 Created\"}");
            assertThat(http.get(PRIVATE_ROUTE + "3/files/w/new.bin", AUTH).bodyText()).isEqualTo("fresh upload");
        }

        @Test
        void replacesAFileAsGitLabDoesAndServesTheNewOneWithANewETag() {
            String before = http.get(PRIVATE_ROUTE + "1/files/model.bin", AUTH).header("ETag").orElseThrow();
            InMemoryResponse put = http.put(PRIVATE_ROUTE + "1/files/model.bin", "overwrite".getBytes(StandardCharsets.UTF_8), AUTH);
            assertThat(put.statusCode()).isEqualTo(201);
            InMemoryResponse after = http.get(PRIVATE_ROUTE + "1/files/model.bin", AUTH);
            assertThat(after.bodyText()).isEqualTo("overwrite");
            assertThat(after.header("ETag")).isNotEqualTo(Optional.of(before))
                    .contains("\"" + Sha256.hash("overwrite".getBytes(StandardCharsets.UTF_8)).hex() + "\"");
            InMemoryResponse resumed = http.get(PRIVATE_ROUTE + "1/files/model.bin", "Authorization", AUTH[1], "Range", "bytes=4-",
                    "If-Range", before);
            assertThat(resumed.statusCode()).as("a resume against the old version gets the whole new file").isEqualTo(200);
            assertThat(resumed.bodyText()).isEqualTo("overwrite");
        }

        @Test
        void refusesToReplaceAFileWith409WhenConfiguredTo() {
            InMemoryHttp writeOnce = new InMemoryHttp(TestRegistry.builder().store(store).fileOverwrite(FileOverwrite.REFUSE).build());
            InMemoryResponse put = writeOnce.put(PRIVATE_ROUTE + "1/files/model.bin", "overwrite".getBytes(StandardCharsets.UTF_8), AUTH);
            assertThat(put.statusCode()).isEqualTo(409);
            assertThat(put.bodyText()).isEqualTo("{\"message\":\"409 Conflict - File already exists\"}");
            assertThat(http.get(PRIVATE_ROUTE + "1/files/model.bin", AUTH).bodyText()).isEqualTo("secret weights");
        }

        @Test
        void answersAFileDirectoryClashEitherWayWith409SayingWhichPart() {
            InMemoryResponse through = http.put(PRIVATE_ROUTE + "1/files/model.bin/x.bin", new byte[] {1}, AUTH);
            assertThat(through.statusCode()).isEqualTo(409);
            assertThat(through.bodyText()).isEqualTo("{\"message\":\"409 Conflict - 'model.bin' is a file, not a directory\"}");
            InMemoryResponse onto = http.put(PRIVATE_ROUTE + "1/files/deep", new byte[] {1}, AUTH);
            assertThat(onto.statusCode()).isEqualTo(409);
            assertThat(onto.bodyText()).isEqualTo("{\"message\":\"409 Conflict - 'deep' is a directory, not a file\"}");
        }

        @Test
        void answersPathsTooLongToStoreWith404ToReadsAnd414ToUploads() {
            String deep = PRIVATE_ROUTE + "1/files/" + "d/".repeat(40) + "x.bin";
            assertThat(http.get(deep, AUTH).statusCode()).isEqualTo(404);
            assertThat(http.head(deep, AUTH).statusCode()).isEqualTo(404);
            InMemoryResponse put = http.put(deep, new byte[] {1}, AUTH);
            assertThat(put.statusCode()).isEqualTo(414);
            assertThat(put.bodyText()).startsWith("{\"message\":\"414 Request-URI Too Long - a file path has at most 32 directories");
            String longNames = PRIVATE_ROUTE + "1/files/" + (("n".repeat(255) + "/").repeat(15)) + "x.bin";
            assertThat(http.put(longNames, new byte[] {1}, AUTH).statusCode()).isEqualTo(414);
        }

        @Test
        void answersABodyThatCannotBeReadWith400AndStoresNothing() {
            InputStream brokenFraming = new InputStream() {
                private int sent;

                @Override
                public int read() throws IOException {
                    if (sent++ < 100) {
                        return 'x';
                    }
                    throw new IOException("bad chunk size: zz");
                }
            };
            InMemoryResponse r = http.send(InMemoryRequest.of("PUT", PRIVATE_ROUTE + "3/files/broken.bin").headers(AUTH)
                    .streamedBody(brokenFraming));
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.bodyText()).isEqualTo("{\"message\":\"400 Bad request - the request body could not be read to its end\"}");
            assertThat(store.find(6, ModelVersionRef.ofVersion(3), FilePath.of("broken.bin"))).isEmpty();
        }

        @Test
        void refusesADeclaredLengthOverTheLimitWithoutReadingTheBody() {
            InputStream untouchable = new InputStream() {
                @Override
                public int read() {
                    throw new AssertionError("the body must not be read");
                }
            };
            InMemoryHttp small = new InMemoryHttp(TestRegistry.of(store, 100));
            InMemoryResponse r = small.send(InMemoryRequest.of("PUT", PRIVATE_ROUTE + "3/files/big.bin").headers(AUTH)
                    .header("Content-Length", "101").streamedBody(untouchable));
            assertThat(r.statusCode()).isEqualTo(413);
            InMemoryResponse anonymous = small.send(InMemoryRequest.of("PUT", PRIVATE_ROUTE + "3/files/big.bin")
                    .header("Content-Length", "10").streamedBody(untouchable));
            assertThat(anonymous.statusCode()).isEqualTo(401);
        }

        @Test
        void refusesFilesOverTheLimitWith413WhetherDeclaredOrStreamed() {
            InMemoryHttp small = new InMemoryHttp(TestRegistry.of(store, 100));
            InMemoryResponse declared = small.put(PRIVATE_ROUTE + "3/files/big.bin", new byte[101], AUTH);
            assertThat(declared.statusCode()).isEqualTo(413);
            InMemoryResponse streamed = small.send(InMemoryRequest.of("PUT", PRIVATE_ROUTE + "3/files/big.bin").headers(AUTH)
                    .streamedBody(new ByteArrayInputStream(new byte[5000])));
            assertThat(streamed.statusCode()).isEqualTo(413);
            assertThat(streamed.bodyText()).isEqualTo("{\"message\":\"413 Request Entity Too Large - File is too large (maximum 100 bytes)\"}");
            assertThat(store.find(6, ModelVersionRef.ofVersion(3), FilePath.of("big.bin"))).isEmpty();
        }

        @Test
        void refusesAnUploadIntoAVersionThatDoesNotExist() {
            for (String version : List.of("424242", "999999999999999999", "99999999999999999999", "candidate:9")) {
                InMemoryResponse r = http.put(PRIVATE_ROUTE + version + "/files/model.bin", new byte[] {1}, AUTH);
                assertThat(r.statusCode()).as(version).isEqualTo(404);
                assertThat(r.bodyText()).as(version).isEqualTo("{\"message\":\"404 Not Found\"}");
            }
            assertThat(store.hasVersion(6, ModelVersionRef.ofVersion(424242))).isFalse();
        }

        @Test
        void refusesABadContentLengthWith400() {
            InMemoryResponse r = http.send(InMemoryRequest.of("PUT", PRIVATE_ROUTE + "3/files/x.bin").headers(AUTH)
                    .header("Content-Length", "ten"));
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.bodyText()).isEqualTo("{\"message\":\"400 Bad request - invalid Content-Length\"}");
        }

        @Test
        void answers405WithoutPutInAllowWhenTheRegistryIsReadOnly() {
            InMemoryHttp readOnly = serving(store);
            InMemoryResponse r = readOnly.put(PRIVATE_ROUTE + "3/files/x.bin", new byte[] {1}, AUTH);
            assertThat(r.statusCode()).isEqualTo(405);
            assertThat(r.header("Allow")).contains("GET, HEAD");
            assertThat(r.bodyText()).isEqualTo("{\"message\":\"405 Method Not Allowed\"}");
            assertThat(readOnly.get(PRIVATE_ROUTE + "1/files/model.bin", AUTH).statusCode()).isEqualTo(200);
        }
    }

    @Nested
    class Integrity {
        private final byte[] body = "checked weights".getBytes(StandardCharsets.UTF_8);
        private final Sha256 right = Sha256.hash(body);
        private final Sha256 wrong = Sha256.hash("other weights".getBytes(StandardCharsets.UTF_8));
        private final String route = PRIVATE_ROUTE + "4/files/checked.bin";

        private InMemoryResponse putWith(String... headers) {
            return http.send(InMemoryRequest.of("PUT", route).headers(AUTH).headers(headers).body(body));
        }

        private boolean stored() {
            return store.find(6, ModelVersionRef.ofVersion(4), FilePath.of("checked.bin")).isPresent();
        }

        @ParameterizedTest
        @ValueSource(strings = {"X-Checksum-Sha256|HEX", "X-Checksum-Sha256|UPPERHEX", "Content-Digest|sha-256=:B64:",
            "Repr-Digest|sha-256=:B64:", "Content-Digest|sha-512=:AAAA:, sha-256=:B64:", "Repr-Digest|sha-256=:B64:;p=1"})
        void storesWhenTheDeclaredDigestMatchesAndTheETagIsThatDigest(String header) {
            String[] h = header.split("\\|", -1);
            InMemoryResponse r = putWith(h[0], h[1].replace("UPPERHEX", right.hex().toUpperCase(java.util.Locale.ROOT))
                    .replace("HEX", right.hex()).replace("B64", right.base64()));
            assertThat(r.statusCode()).isEqualTo(201);
            assertThat(http.head(route, AUTH).header("ETag")).contains("\"" + right.hex() + "\"");
        }

        @ParameterizedTest
        @ValueSource(strings = {"X-Checksum-Sha256|HEX", "Content-Digest|sha-256=:B64:", "Repr-Digest|sha-256=:B64:"})
        void storesNothingWhenTheDeclaredDigestIsOfAnotherBody(String header) {
            String[] h = header.split("\\|", -1);
            InMemoryResponse r = putWith(h[0], h[1].replace("HEX", wrong.hex()).replace("B64", wrong.base64()));
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.bodyText()).isEqualTo("{\"message\":\"400 Bad request - checksum mismatch: the body's sha-256 is "
                    + right.hex() + ", the request declared " + wrong.hex() + "\"}");
            assertThat(stored()).isFalse();
        }

        @ParameterizedTest
        @ValueSource(strings = {"X-Checksum-Sha256|abc", "X-Checksum-Sha256|", "Content-Digest|sha-256=abc",
            "Content-Digest|sha-256=:!!!:", "Content-Digest|sha-256=:AAAA:", "Repr-Digest|garbage", "Repr-Digest|=:x:"})
        void refusesMalformedDigestHeadersWith400(String header) {
            String[] h = header.split("\\|", -1);
            InMemoryResponse r = putWith(h[0], h[1]);
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.bodyText()).startsWith("{\"message\":\"400 Bad request - ");
            assertThat(stored()).isFalse();
        }

        @Test
        void refusesDigestHeadersThatDisagree() {
            InMemoryResponse r = putWith("X-Checksum-Sha256", right.hex(), "Content-Digest", "sha-256=:" + wrong.base64() + ":");
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.bodyText()).contains("disagree");
            assertThat(stored()).isFalse();
        }

        @Test
        void ignoresUnknownAlgorithmsAlone() {
            assertThat(putWith("Content-Digest", "sha-512=:AAAA:", "Repr-Digest", "md5=:AAAA:").statusCode()).isEqualTo(201);
            assertThat(stored()).isTrue();
        }

        @Test
        void ignoresDigestHeadersOnReads() {
            InMemoryResponse r = http.get(PRIVATE_ROUTE + "1/files/model.bin", "Authorization", AUTH[1], "X-Checksum-Sha256", "junk",
                    "Content-Digest", "garbage");
            assertThat(r.statusCode()).isEqualTo(200);
        }
    }

    @Nested
    class Delivery {
        private final Sha256 digest = Sha256.hash("x".getBytes(StandardCharsets.US_ASCII));

        @Test
        void answersHeadAnd304WithoutOpeningTheFile() {
            InMemoryHttp metaOnly = finding((p, v, f) -> Optional.of(file(1, new IOException("the content must not be read"),
                    Optional.empty())));
            InMemoryResponse head = metaOnly.head(PUBLIC_ROUTE + "1/files/x.bin");
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.header("ETag")).contains("\"" + digest.hex() + "\"");
            assertThat(metaOnly.get(PUBLIC_ROUTE + "1/files/x.bin", "If-None-Match", "\"" + digest.hex() + "\"").statusCode())
                    .isEqualTo(304);
            assertThatThrownBy(() -> metaOnly.get(PUBLIC_ROUTE + "1/files/x.bin")) // proves the fake refuses reads
                    .hasRootCauseMessage("the content must not be read");
        }

        @Test
        void answers404WhenTheFileVanishesBetweenLookupAndRead() {
            InMemoryHttp racing = finding((p, v, f) -> Optional.of(file(1, new NoSuchFileException("deleted meanwhile"),
                    Optional.empty())));
            InMemoryResponse r = racing.get(PUBLIC_ROUTE + "1/files/gone.bin");
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.bodyText()).isEqualTo("{\"message\":\"404 Not Found\"}");
            assertThat(r.header("ETag")).isEmpty();
            assertThat(r.headers()).doesNotContainKey("Last-Modified").doesNotContainKey("Content-Disposition");
        }

        @Test
        void looksTheFileUpAgainWhenItWasReplacedBetweenLookupAndOpen() {
            ModelFile fresh = store.find(5, ModelVersionRef.ofVersion(1), FilePath.of("model.bin")).orElseThrow();
            java.util.concurrent.atomic.AtomicInteger lookups = new java.util.concurrent.atomic.AtomicInteger();
            InMemoryHttp replacedOnce = finding((p, v, f) -> Optional.of(lookups.getAndIncrement() == 0
                    ? file(1, new NoSuchFileException("changed since it was found"), Optional.empty()) : fresh));
            InMemoryResponse r = replacedOnce.get(PUBLIC_ROUTE + "1/files/model.bin");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("public weights");
            assertThat(r.header("ETag")).contains("\"" + Sha256.hash("public weights".getBytes(StandardCharsets.UTF_8)).hex() + "\"");
            assertThat(lookups).hasValue(2);
        }

        @Test
        void redirectsToTheUrlTheStoreSignedAfterAuthorizing() {
            URI signed = URI.create("https://objects.example/bucket/6/1/model.bin?X-Amz-Signature=abc");
            InMemoryHttp redirecting = finding((p, v, f) -> Optional.of(file(1, new IOException("never streamed"),
                    Optional.of(signed))));
            InMemoryResponse r = redirecting.get(PRIVATE_ROUTE + "1/files/model.bin", AUTH);
            assertThat(r.statusCode()).isEqualTo(302);
            assertThat(r.header("Location")).contains(signed.toString());
            assertThat(r.header("Cache-Control")).contains("no-store");
            assertThat(r.bodyBytes()).isEmpty();
            InMemoryResponse anonymous = redirecting.get(PRIVATE_ROUTE + "1/files/model.bin");
            assertThat(anonymous.statusCode()).isEqualTo(404);
            assertThat(anonymous.header("Location")).isEmpty();
        }

        /** A one-byte file with the digest of "x" that fails with {@code failure} when opened. */
        private ModelFile file(long size, IOException failure, Optional<URI> redirect) {
            return new ModelFile() {
                @Override
                public FileMetadata metadata() {
                    return new FileMetadata(size, Instant.parse("2026-01-01T00:00:00Z"));
                }

                @Override
                public Optional<Sha256> knownSha256() {
                    return Optional.of(digest);
                }

                @Override
                public Sha256 sha256() {
                    return digest;
                }

                @Override
                public SeekableByteChannel open() throws IOException {
                    throw failure;
                }

                @Override
                public Optional<URI> redirect() {
                    return redirect;
                }
            };
        }
    }
}
