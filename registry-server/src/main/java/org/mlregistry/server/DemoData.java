package org.mlregistry.server;

import org.mlregistry.server.config.RegistryConfig;
import org.mlregistry.server.config.AccessConfig;
import org.mlregistry.server.config.StorageConfig;
import org.mlregistry.server.config.CatalogConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.memory.StoredToken;
import org.mlregistry.core.model.Caller;
import org.mlregistry.core.model.Credential;
import org.mlregistry.core.model.Declared;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.Project;
import org.mlregistry.core.model.ProjectRef;
import org.mlregistry.core.model.Role;
import org.mlregistry.core.model.Scope;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.model.Visibility;

/**
 * The demo: a private project {@value #PROJECT_PATH} (id {@value #PROJECT_ID}) with model version
 * {@value #VERSION_ID} holding {@value #FILE_NAME}, in a temporary folder, and a fresh random personal
 * access token for its developer.
 *
 * @param config the configuration to serve
 * @param token the demo token, shown to the user once
 * @param folder the temporary folder, removed at exit
 */
record DemoData(RegistryConfig config, String token, Path folder) {

    static final long PROJECT_ID = 1;
    static final String PROJECT_PATH = "demo/sentiment-model";
    static final String MODEL_NAME = "sentiment";
    static final String VERSION = "1.0.0";
    static final String FILE_NAME = "model.bin";

    /** Creates the demo folder and token. */
    static DemoData create() throws IOException {
        Path folder = Files.createTempDirectory("mlregistry-demo-");

        byte[] random = new byte[20];
        new SecureRandom().nextBytes(random);
        String token = "glpat-" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Project project = new Project(PROJECT_ID, PROJECT_PATH, Visibility.PRIVATE, Map.of("demo", Role.DEVELOPER), Set.of());
        StoredToken stored = StoredToken.personal("demo", Sha256.ofSecret(token), Set.of(Scope.API), null, false);
        RegistryConfig config = new RegistryConfig(new StorageConfig(folder), CatalogConfig.EMBEDDED, new AccessConfig(true,
                ModelRegistry.DEFAULT_MAX_FILE_SIZE_BYTES, List.of(project), List.of(stored), ModelRegistry.DEFAULT_FILE_OVERWRITE));
        return new DemoData(config, token, folder);
    }

    /**
     * Creates the demo model and version through the registry, as a user would, and uploads its file.
     *
     * @return the version's id
     */
    long populate(ModelRegistry registry) throws IOException {
        Caller demo = Caller.presenting(Credential.of(Credential.Transport.BEARER, token));
        ProjectRef project = ProjectRef.ofId(PROJECT_ID);
        registry.models().create(demo, project, MODEL_NAME, "the demo model", List.of());
        ModelVersion v = registry.models().createVersion(demo, project, MODEL_NAME, VERSION, "", List.of());
        byte[] content = "demo model weights from mlregistry\n".getBytes(StandardCharsets.UTF_8);
        registry.upload(demo, project, v.ref(), FilePath.of(FILE_NAME), Declared.NOTHING, new ByteArrayInputStream(content));
        return v.id();
    }

    /** The ready-to-paste command that downloads the demo file from {@code baseUrl} ({@code http://h:p/api/v4}). */
    String curl(String baseUrl, long versionId) {
        return "curl --header \"Authorization: Bearer " + token + "\" \"" + baseUrl + "/projects/"
                + PROJECT_PATH.replace("/", "%2F") + "/packages/ml_models/" + versionId + "/files/" + FILE_NAME
                + "\" --output " + FILE_NAME;
    }

    /** The two variables that point an MLflow client at the demo project. */
    List<String> mlflowEnvironment(String baseUrl) {
        return List.of("export MLFLOW_TRACKING_URI=" + baseUrl + "/projects/" + PROJECT_ID + "/ml/mlflow",
                "export MLFLOW_TRACKING_TOKEN=" + token);
    }

    /** The lines that point a Hugging Face client at the demo model, and the repository id to load. */
    List<String> hubEnvironment(String baseUrl) {
        return List.of("export HF_ENDPOINT=" + baseUrl + "/projects/" + PROJECT_ID + "/hf",
                "export HF_TOKEN=" + token,
                "python -c 'from huggingface_hub import hf_hub_download; print(hf_hub_download(\"" + hubRepoId() + "\", \""
                        + FILE_NAME + "\"))'");
    }

    /** The demo model's Hugging Face repository id: the project's default namespace, then the model's name. */
    static String hubRepoId() {
        return "p" + PROJECT_ID + "/" + MODEL_NAME;
    }

    /** Deletes the demo folder. */
    void delete() {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort at exit; the OS cleans its temp folder eventually
        }
    }
}
