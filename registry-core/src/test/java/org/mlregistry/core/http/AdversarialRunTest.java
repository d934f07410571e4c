package org.mlregistry.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.memory.InMemoryModelCatalog;
import org.mlregistry.core.memory.InMemoryModelFileStore;
import org.mlregistry.core.model.Caller;
import org.mlregistry.core.model.Credential;
import org.mlregistry.core.model.Declared;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ModelName;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.ProjectRef;
import org.mlregistry.core.model.RegisteredModel;
import org.mlregistry.core.spi.ModelCatalog;
import org.mlregistry.core.spi.RegistryObserver;
import org.mlregistry.core.testing.InMemoryHttp;
import org.mlregistry.core.testing.InMemoryRequest;
import org.mlregistry.core.testing.InMemoryResponse;
import org.mlregistry.core.testing.RegistryFixture;
import org.mlregistry.core.testing.TestRegistry;

/**
 * Issue 22's adversarial black-box run, its registry-level findings: uploads over the bound of uploads in progress
 * (F1), a search racing a model's deletion (F3), a body in a transfer coding other than chunked (F6), HEAD on MLflow's
 * GET endpoints (F7). Each through the HTTP handler, as a client sees it.
 */
class AdversarialRunTest {

    private static final String[] AUTH = {"Authorization", "Bearer " + TestRegistry.TOKEN};
    private static final Caller DEV = Caller.presenting(Credential.of(Credential.Transport.BEARER, TestRegistry.TOKEN));
    private static final ProjectRef PROJECT = ProjectRef.ofId(6);
    private static final String MLFLOW = "/api/v4/projects/6/ml/mlflow/api/2.0/mlflow/";
    private static final String FILES = "/api/v4/projects/6/packages/ml_models/";

    private static InputStream unreadable() {
        return new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("the body was read before the request was refused");
            }
        };
    }

    /**
     * F1: with one upload of the caller in progress (its body still arriving) and a bound of one per caller, the next is
     * refused 429 with {@code Retry-After}, in MLflow's words on MLflow's route, before its body is read; once the first
     * ends, the next is received.
     */
    @Test
    void anUploadOverTheBoundOfUploadsInProgressIsRefusedBeforeItsBodyIsRead() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        ModelRegistry registry = TestRegistry.builder().store(new InMemoryModelFileStore(RegistryFixture.CLOCK))
                .catalog(new InMemoryModelCatalog()).clock(RegistryFixture.CLOCK).maxConcurrentUploads(4, 1)
                .observer(new RegistryObserver() {
                    @Override
                    public void uploadStarted() {
                        started.countDown();
                    }
                }).build();
        InMemoryHttp http = new InMemoryHttp(registry);
        registry.models().create(DEV, PROJECT, "m", "", List.of());
        ModelVersion v = registry.models().createVersion(DEV, PROJECT, "m", null, "", List.of());
        PipedOutputStream feed = new PipedOutputStream();
        PipedInputStream slow = new PipedInputStream(feed);
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> {
            try {
                registry.upload(DEV, PROJECT, v.ref(), FilePath.of("first.bin"), Declared.NOTHING, slow);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        InMemoryResponse refused = http.send(InMemoryRequest.of("PUT", FILES + v.id() + "/files/second.bin").headers(AUTH)
                .header("Content-Length", "5").streamedBody(unreadable()));
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.header("Retry-After")).hasValue("1");
        assertThat(refused.bodyText()).contains("\"message\":\"429 Too Many Requests - at most 1 uploads of one caller");
        InMemoryResponse mlflow = http.send(InMemoryRequest.of("PUT",
                "/api/v4/projects/6/ml/mlflow/api/2.0/mlflow-artifacts/artifacts/" + v.id() + "/second.bin").headers(AUTH)
                .header("Content-Length", "5").streamedBody(unreadable()));
        assertThat(mlflow.statusCode()).isEqualTo(429);
        assertThat(mlflow.bodyText()).contains("\"error_code\":\"REQUEST_LIMIT_EXCEEDED\"");

        feed.write("first".getBytes(StandardCharsets.US_ASCII));
        feed.close();
        first.get(10, TimeUnit.SECONDS);
        assertThat(http.put(FILES + v.id() + "/files/second.bin", "second".getBytes(StandardCharsets.US_ASCII), AUTH).statusCode())
                .isEqualTo(201);
    }

    /**
     * F3: a model deleted between a search's listing of the models and its reading of their versions is shown without
     * versions (or, for versions, its versions are left out): the search answers 200. It answered 404 "Registered model
     * not found" for the whole search (160 of 5699 searches in the adversarial run).
     */
    @Test
    void aSearchRacingADeletionAnswersWithoutTheDeletedModel() throws Exception {
        InMemoryModelCatalog memory = new InMemoryModelCatalog();
        ModelCatalog racing = new DeletingAfterListing(memory);
        ModelRegistry registry = TestRegistry.builder().store(new InMemoryModelFileStore(RegistryFixture.CLOCK)).catalog(racing)
                .clock(RegistryFixture.CLOCK).build();
        InMemoryHttp http = new InMemoryHttp(registry);
        for (String name : List.of("a", "b", "c")) {
            registry.models().create(DEV, PROJECT, name, "", List.of());
            registry.models().createVersion(DEV, PROJECT, name, null, "", List.of());
        }
        InMemoryResponse models = http.get(MLFLOW + "registered-models/search", AUTH);
        assertThat(models.statusCode()).isEqualTo(200);
        assertThat(models.bodyText()).contains("\"name\":\"a\"", "\"name\":\"c\"");
        assertThat(memory.findModel(6, new ModelName("b"))).isEmpty(); // deleted while the search ran
        InMemoryResponse versions = http.get(MLFLOW + "model-versions/search", AUTH);
        assertThat(versions.statusCode()).isEqualTo(200);
    }

    /** A catalog whose model "b" (or the first one) is deleted, as by another client, right after each listing. */
    private static final class DeletingAfterListing implements ModelCatalog {
        private final InMemoryModelCatalog d;

        DeletingAfterListing(InMemoryModelCatalog delegate) {
            this.d = delegate;
        }

        @Override
        public List<RegisteredModel> listModels(long projectId) {
            List<RegisteredModel> listed = d.listModels(projectId);
            if (!listed.isEmpty()) {
                d.deleteModel(projectId, listed.size() > 1 ? listed.get(1).name() : listed.get(0).name());
            }
            return listed;
        }

        @Override
        public RegisteredModel createModel(long projectId, ModelName name, String description, List<org.mlregistry.core.model.Tag> tags,
                                           String createdBy, java.time.Instant now) {
            return d.createModel(projectId, name, description, tags, createdBy, now);
        }

        @Override
        public java.util.Optional<RegisteredModel> findModel(long projectId, ModelName name) {
            return d.findModel(projectId, name);
        }

        @Override
        public java.util.Optional<RegisteredModel> updateModel(long projectId, ModelName name, String description,
                                                               java.time.Instant now) {
            return d.updateModel(projectId, name, description, now);
        }

        @Override
        public java.util.Optional<List<ModelVersion>> deleteModel(long projectId, ModelName name) {
            return d.deleteModel(projectId, name);
        }

        @Override
        public ModelVersion createVersion(long projectId, ModelName model,
                                          java.util.Optional<org.mlregistry.core.model.SemanticVersion> version, String description,
                                          List<org.mlregistry.core.model.Tag> tags, java.time.Instant now) {
            return d.createVersion(projectId, model, version, description, tags, now);
        }

        @Override
        public java.util.Optional<ModelVersion> findVersion(long projectId, long versionId) {
            return d.findVersion(projectId, versionId);
        }

        @Override
        public List<ModelVersion> listVersions(long projectId, ModelName model) {
            return d.listVersions(projectId, model);
        }

        @Override
        public List<ModelVersion> listVersionsOf(long projectId, Collection<ModelName> models) {
            return d.listVersionsOf(projectId, models);
        }

        @Override
        public java.util.Optional<ModelVersion> updateVersion(long projectId, long versionId, String description,
                                                              java.time.Instant now) {
            return d.updateVersion(projectId, versionId, description, now);
        }

        @Override
        public boolean deleteVersion(long projectId, long versionId) {
            return d.deleteVersion(projectId, versionId);
        }
    }

    /**
     * F6: a body in any transfer coding but chunked is refused 501 (RFC 9112 §6.1) before it is read, on the file route
     * and MLflow's; {@code chunked} alone is the body as sent.
     */
    @Test
    void aBodyInATransferCodingOtherThanChunkedIsRefused() throws Exception {
        ModelRegistry registry = TestRegistry.builder().store(new InMemoryModelFileStore(RegistryFixture.CLOCK))
                .catalog(new InMemoryModelCatalog()).clock(RegistryFixture.CLOCK).build();
        InMemoryHttp http = new InMemoryHttp(registry);
        registry.models().create(DEV, PROJECT, "m", "", List.of());
        ModelVersion v = registry.models().createVersion(DEV, PROJECT, "m", null, "", List.of());
        for (String coding : List.of("gzip, chunked", "x-foo, chunked", "chunked, chunked", "gzip", "identity")) {
            InMemoryResponse r = http.send(InMemoryRequest.of("PUT", FILES + v.id() + "/files/coded.bin").headers(AUTH)
                    .header("Transfer-Encoding", coding).streamedBody(unreadable()));
            assertThat(r.statusCode()).as(coding).isEqualTo(501);
            assertThat(r.header("Connection")).hasValue("close");
            assertThat(r.bodyText()).contains("501 Not Implemented - a request body is sent as it is or chunked");
        }
        assertThat(registry.download(DEV, PROJECT, v.ref(), FilePath.of("coded.bin"))).isEmpty();
        assertThat(http.send(InMemoryRequest.of("POST", MLFLOW + "registered-models/create").headers(AUTH)
                .header("Transfer-Encoding", "gzip, chunked").streamedBody(unreadable())).statusCode()).isEqualTo(501);
        assertThat(http.send(InMemoryRequest.of("PUT", FILES + v.id() + "/files/plain.bin").headers(AUTH)
                .header("Transfer-Encoding", "Chunked").body("plain".getBytes(StandardCharsets.US_ASCII))).statusCode())
                .isEqualTo(201);
    }

    /**
     * Query parameters are decoded as strictly as paths: {@code %ff} is not UTF-8 and is refused (it became U+FFFD and
     * named a model that does not exist); {@code +} is a space, as in a form; a body with content after its object is
     * not JSON.
     */
    @Test
    void mlflowParametersAreDecodedStrictly() throws Exception {
        ModelRegistry registry = TestRegistry.builder().store(new InMemoryModelFileStore(RegistryFixture.CLOCK))
                .catalog(new InMemoryModelCatalog()).clock(RegistryFixture.CLOCK).build();
        InMemoryHttp http = new InMemoryHttp(registry);
        registry.models().create(DEV, PROJECT, "my model", "", List.of());
        InMemoryResponse bad = http.get(MLFLOW + "registered-models/get?name=%ff", AUTH);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.bodyText()).contains("INVALID_PARAMETER_VALUE", "not valid percent-encoded UTF-8");
        assertThat(http.get(MLFLOW + "registered-models/get?name=my+model", AUTH).statusCode()).isEqualTo(200);
        assertThat(http.get(MLFLOW + "registered-models/get?name=my%20model", AUTH).statusCode()).isEqualTo(200);
        InMemoryResponse trailing = http.post(MLFLOW + "registered-models/create", "{\"name\": \"a3\"} xx", AUTH);
        assertThat(trailing.statusCode()).isEqualTo(400);
        assertThat(trailing.bodyText()).contains("not valid JSON");
    }

    /** F7: MLflow's GET endpoints answer HEAD as they answer GET (the container sends no body); others stay 404. */
    @Test
    void mlflowGetEndpointsAnswerHead() throws Exception {
        ModelRegistry registry = TestRegistry.builder().store(new InMemoryModelFileStore(RegistryFixture.CLOCK))
                .catalog(new InMemoryModelCatalog()).clock(RegistryFixture.CLOCK).build();
        InMemoryHttp http = new InMemoryHttp(registry);
        registry.models().create(DEV, PROJECT, "m", "", List.of());
        assertThat(http.head(MLFLOW + "registered-models/get?name=m", AUTH).statusCode()).isEqualTo(200);
        assertThat(http.head(MLFLOW + "registered-models/search", AUTH).statusCode()).isEqualTo(200);
        assertThat(http.head(MLFLOW + "registered-models/get?name=none", AUTH).statusCode()).isEqualTo(404);
        InMemoryResponse post = http.head(MLFLOW + "registered-models/create", AUTH);
        assertThat(post.statusCode()).isEqualTo(404);
        assertThat(post.bodyText()).as("a HEAD answer has no body").isEmpty();
    }
}
