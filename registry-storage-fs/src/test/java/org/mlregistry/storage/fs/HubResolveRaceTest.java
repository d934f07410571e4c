package org.mlregistry.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.memory.InMemoryModelCatalog;
import org.mlregistry.core.model.Caller;
import org.mlregistry.core.model.Credential;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.ProjectRef;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.spi.ModelFileStore;
import org.mlregistry.core.testing.InMemoryHttp;
import org.mlregistry.core.testing.InMemoryResponse;
import org.mlregistry.core.testing.TestRegistry;

/**
 * Issue 22's M2 on real files: while a version's file is replaced again and again beside the registry (renamed over,
 * as another node or an operator would), a Hugging Face {@code resolve} of {@code main} sends bytes whose digest is
 * the {@code X-Linked-Etag} and {@code ETag} it sends with them, and one of a pinned commit sends that commit's bytes
 * or {@code RevisionNotFound}, never the other file.
 */
class HubResolveRaceTest {

    static final String E = "/api/v4/projects/6/hf";
    static final String[] AUTH = {"Authorization", "Bearer " + TestRegistry.TOKEN};
    static final Caller DEV = Caller.presenting(Credential.of(Credential.Transport.BEARER, TestRegistry.TOKEN));
    static final byte[] OLD = "old weights".getBytes(StandardCharsets.UTF_8);
    static final byte[] NEW = "new weights, longer".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private static String sha(byte[] bytes) {
        return Sha256.hash(bytes).hex();
    }

    @Test
    void headersAlwaysNameTheBytesSentWhileTheFileIsReplacedAgainAndAgain() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        ModelFileStore store = new FileSystemModelFileStore(root);
        ModelRegistry registry = TestRegistry.builder().store(store).catalog(new InMemoryModelCatalog()).build();
        InMemoryHttp http = new InMemoryHttp(registry);
        registry.models().create(DEV, ProjectRef.ofId(6), "m", "", List.of());
        ModelVersion v = registry.models().createVersion(DEV, ProjectRef.ofId(6), "m", "1.0.0", "", List.of());
        String file = "/api/v4/projects/6/packages/ml_models/" + v.id() + "/files/w.bin";
        assertThat(http.put(file, OLD, AUTH).statusCode()).isEqualTo(201);
        String oldCommit = registry.hub().snapshot(DEV, ProjectRef.ofId(6), "p6/m", "main").commit();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService replacer = Executors.newSingleThreadExecutor();
        Future<?> replacing = replacer.submit(() -> {
            for (int i = 0; !stop.get(); i++) {
                // written beside the registry, then moved over the file: the way another node or an operator replaces it
                Path temp = root.resolve("6/" + v.id() + "/.w.tmp");
                Files.write(temp, i % 2 == 0 ? NEW : OLD);
                Files.move(temp, root.resolve("6/" + v.id() + "/w.bin"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            return null;
        });
        int pinnedServed = 0;
        try {
            for (int i = 0; i < 400; i++) {
                InMemoryResponse main = http.get(E + "/p6/m/resolve/main/w.bin", AUTH);
                if (main.statusCode() == 200) {
                    assertThat(main.header("X-Linked-Etag")).hasValue("\"" + sha(main.bodyBytes()) + "\"");
                    assertThat(main.header("ETag")).hasValue("\"" + sha(main.bodyBytes()) + "\"");
                } else {
                    assertThat(main.statusCode()).isEqualTo(404); // changed on every look: allowed, never mixed
                }
                InMemoryResponse pinned = http.get(E + "/p6/m/resolve/" + oldCommit + "/w.bin", AUTH);
                if (pinned.statusCode() == 200) {
                    pinnedServed++;
                    assertThat(pinned.bodyBytes()).isEqualTo(OLD);
                } else {
                    assertThat(pinned.header("X-Error-Code")).hasValue("RevisionNotFound");
                }
            }
        } finally {
            stop.set(true);
            replacing.get();
            replacer.shutdown();
        }
        System.out.printf("pinned commit served its own bytes %d of 400 times during replacements, refused the rest%n", pinnedServed);
    }

}
