package org.mlregistry.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.memory.InMemoryModelCatalog;
import org.mlregistry.core.memory.InMemoryModelFileStore;
import org.mlregistry.core.memory.InMemoryProjectLocator;
import org.mlregistry.core.memory.InMemoryTokenAuthenticator;
import org.mlregistry.core.memory.StoredToken;
import org.mlregistry.core.model.Caller;
import org.mlregistry.core.model.Credential;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.Project;
import org.mlregistry.core.model.ProjectRef;
import org.mlregistry.core.model.Role;
import org.mlregistry.core.model.Scope;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.model.Visibility;
import org.mlregistry.core.spi.ProjectLocator;
import org.mlregistry.core.spi.RegistryObserver;
import org.mlregistry.core.testing.InMemoryHttp;
import org.mlregistry.core.testing.InMemoryResponse;
import org.mlregistry.core.testing.RegistryFixture;

/**
 * What one request costs the backends: authorizations (each looks its project up once, counted at the
 * {@link ProjectLocator}) and catalog calls (counted by the {@link RegistryObserver}, which hears every one). A
 * Hugging Face {@code resolve} of a version whose files are listed authorizes once and asks the catalog once; an
 * MLflow search authorizes once and asks the catalog twice (the project's models, then the page's versions in one
 * call), however long its page.
 */
class RequestCostTest {

    private static final String TOKEN = "glpat-cost";
    private static final String[] AUTH = {"Authorization", "Bearer " + TOKEN};
    private static final Caller DEV = Caller.presenting(Credential.of(Credential.Transport.BEARER, TOKEN));
    private static final ProjectRef PROJECT = ProjectRef.ofId(6);
    private static final String MLFLOW = "/api/v4/projects/6/ml/mlflow/api/2.0/mlflow/";

    private final AtomicInteger authorizations = new AtomicInteger();
    private final AtomicInteger catalogCalls = new AtomicInteger();
    private ModelRegistry registry;
    private InMemoryHttp http;

    @BeforeEach
    void setUp() {
        InMemoryProjectLocator projects = new InMemoryProjectLocator(List.of(
                new Project(6, "team/models", Visibility.PRIVATE, Map.of("dev", Role.DEVELOPER), Set.of())));
        ProjectLocator counting = ref -> {
            authorizations.incrementAndGet();
            return projects.find(ref);
        };
        registry = ModelRegistry.builder().projects(counting)
                .tokens(new InMemoryTokenAuthenticator(RegistryFixture.CLOCK,
                        List.of(StoredToken.personal("dev", Sha256.ofSecret(TOKEN), Set.of(Scope.API), null, false))))
                .store(new InMemoryModelFileStore(RegistryFixture.CLOCK)).catalog(new InMemoryModelCatalog())
                .clock(RegistryFixture.CLOCK)
                .observer(new RegistryObserver() {
                    @Override
                    public void catalogCalled(String operation, boolean failed, long durationNanos) {
                        catalogCalls.incrementAndGet();
                    }
                }).build();
        http = new InMemoryHttp(registry);
    }

    private void reset() {
        authorizations.set(0);
        catalogCalls.set(0);
    }

    @Test
    void aHubResolveOfAListedVersionAuthorizesOnceAndAsksTheCatalogOnce() throws IOException {
        registry.models().create(DEV, PROJECT, "sentiment", "", List.of());
        ModelVersion v = registry.models().createVersion(DEV, PROJECT, "sentiment", "1.0.0", "", List.of());
        for (String file : List.of("config.json", "model.safetensors", "tokenizer.json")) {
            assertThat(http.put("/api/v4/projects/6/packages/ml_models/" + v.id() + "/files/" + file,
                    file.getBytes(StandardCharsets.UTF_8), AUTH).statusCode()).isEqualTo(201);
        }
        String resolve = "/api/v4/projects/6/hf/p6/sentiment/resolve/main/config.json";
        assertThat(http.get(resolve, AUTH).statusCode()).isEqualTo(200); // lists the version's files

        for (String file : List.of("config.json", "model.safetensors", "tokenizer.json")) {
            reset();
            InMemoryResponse r = http.get("/api/v4/projects/6/hf/p6/sentiment/resolve/1.0.0/" + file, AUTH);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.bodyBytes()).isEqualTo(file.getBytes(StandardCharsets.UTF_8));
            assertThat(authorizations).as("authorizations of %s", file).hasValue(1);
            assertThat(catalogCalls).as("catalog calls of %s", file).hasValueLessThanOrEqualTo(1);
        }
    }

    /**
     * The same four catalog calls for a page of 1, 10 or 100 models: the models, the page's latest versions, the page's
     * aliases, and the stages of its latest versions.
     */
    @ParameterizedTest(name = "a page of {0} models")
    @ValueSource(ints = {1, 10, 100})
    void anMlflowModelSearchCostsTheSameForAnyPageSize(int pageSize) throws IOException {
        models(100, 2);
        reset();
        InMemoryResponse r = http.get(MLFLOW + "registered-models/search?max_results=" + pageSize, AUTH);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.bodyText()).contains("\"latest_versions\":[{");
        assertThat(count(r.bodyText(), "\"user_id\"")).isEqualTo(pageSize);
        assertThat(authorizations).hasValue(1);
        assertThat(catalogCalls).hasValue(4);
    }

    /** The same four catalog calls for a page of 1, 10 or 100 versions: models, versions, and the page's aliases and stages. */
    @ParameterizedTest(name = "a page of {0} versions")
    @ValueSource(ints = {1, 10, 100})
    void anMlflowVersionSearchCostsTheSameForAnyPageSize(int pageSize) throws IOException {
        models(60, 2);
        reset();
        InMemoryResponse r = http.get(MLFLOW + "model-versions/search?max_results=" + pageSize, AUTH);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(count(r.bodyText(), "\"current_stage\"")).isEqualTo(pageSize);
        assertThat(authorizations).hasValue(1);
        assertThat(catalogCalls).hasValue(4);
    }

    /** A model with its latest version: one authorization, the catalog asked for the model and then its versions. */
    @Test
    void anMlflowGetAuthorizesOnce() throws IOException {
        models(1, 1);
        reset();
        assertThat(http.get(MLFLOW + "registered-models/get?name=m000", AUTH).statusCode()).isEqualTo(200);
        assertThat(authorizations).hasValue(1);
    }

    private void models(int count, int versions) throws IOException {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add(String.format("m%03d", i));
        }
        for (String n : names) {
            registry.models().create(DEV, PROJECT, n, "", List.of());
            for (int v = 0; v < versions; v++) {
                registry.models().createVersion(DEV, PROJECT, n, null, "", List.of());
            }
        }
        assertThat(registry.models().latestVersion(DEV, PROJECT, names.get(0))).isNotEqualTo(Optional.empty());
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
