package org.mlregistry.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.memory.InMemoryModelCatalog;
import org.mlregistry.core.memory.InMemoryModelFileStore;
import org.mlregistry.core.model.Caller;
import org.mlregistry.core.model.Credential;
import org.mlregistry.core.model.DirectoryPath;
import org.mlregistry.core.model.FileEntry;
import org.mlregistry.core.model.FileMetadata;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.ModelVersionRef;
import org.mlregistry.core.model.ProjectRef;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.spi.ModelFile;
import org.mlregistry.core.spi.ModelFileStore;
import org.mlregistry.core.spi.WriteOptions;
import org.mlregistry.core.testing.InMemoryHttp;
import org.mlregistry.core.testing.MutableClock;
import org.mlregistry.core.testing.InMemoryResponse;
import org.mlregistry.core.testing.RegistryFixture;
import org.mlregistry.core.testing.TestRegistry;

/**
 * Issue 22's M2 and L4: a Hugging Face answer's body always is the content its {@code X-Linked-Etag} and
 * {@code X-Repo-Commit} name, a pinned commit never serves other bytes, and unknown commits or versions too large to
 * list cost a listing once per {@code FILES_TTL}, not once per request.
 */
class HubConsistencyTest {

    static final String E = "/api/v4/projects/6/hf";
    static final String[] AUTH = {"Authorization", "Bearer " + TestRegistry.TOKEN};
    static final Caller DEV = Caller.presenting(Credential.of(Credential.Transport.BEARER, TestRegistry.TOKEN));
    static final byte[] OLD = "old weights".getBytes(StandardCharsets.UTF_8);
    static final byte[] NEW = "new weights, longer".getBytes(StandardCharsets.UTF_8);


    /** A store that counts how often a version's directory is listed. */
    static final class CountingStore implements ModelFileStore {
        final ModelFileStore inner;
        final AtomicInteger listings = new AtomicInteger();

        CountingStore(ModelFileStore inner) {
            this.inner = inner;
        }

        @Override
        public Optional<ModelFile> find(long projectId, ModelVersionRef version, FilePath path) throws IOException {
            return inner.find(projectId, version, path);
        }

        @Override
        public boolean hasVersion(long projectId, ModelVersionRef version) throws IOException {
            return inner.hasVersion(projectId, version);
        }

        @Override
        public List<FileEntry> list(long projectId, ModelVersionRef version, DirectoryPath directory) throws IOException {
            listings.incrementAndGet();
            return inner.list(projectId, version, directory);
        }

        @Override
        public FileMetadata store(long projectId, ModelVersionRef version, FilePath path, java.io.InputStream content,
                                  WriteOptions options) throws IOException {
            return inner.store(projectId, version, path, content, options);
        }

        @Override
        public void deleteVersion(long projectId, ModelVersionRef version) throws IOException {
            inner.deleteVersion(projectId, version);
        }
    }

    private static String sha(byte[] bytes) {
        return Sha256.hash(bytes).hex();
    }

    @Test
    void aPinnedCommitNeverServesBytesReplacedBehindTheRegistrysBack() throws Exception {
        InMemoryModelFileStore store = new InMemoryModelFileStore(RegistryFixture.CLOCK);
        ModelRegistry registry = TestRegistry.builder().store(store).catalog(new InMemoryModelCatalog()).clock(RegistryFixture.CLOCK)
                .build();
        InMemoryHttp http = new InMemoryHttp(registry);
        registry.models().create(DEV, ProjectRef.ofId(6), "m", "", List.of());
        ModelVersion v = registry.models().createVersion(DEV, ProjectRef.ofId(6), "m", "1.0.0", "", List.of());
        store.put(6, v.ref(), FilePath.parse("w.bin"), OLD);
        String oldCommit = http.get(E + "/api/models/p6/m", AUTH).header("X-Repo-Commit").orElse(
                registry.hub().snapshot(DEV, ProjectRef.ofId(6), "p6/m", "main").commit());
        // replaced in storage by another node: this one's listing (fixed clock: never expires) still names the old bytes
        store.put(6, v.ref(), FilePath.parse("w.bin"), NEW);

        InMemoryResponse pinned = http.get(E + "/p6/m/resolve/" + oldCommit + "/w.bin", AUTH);
        assertThat(pinned.statusCode()).isEqualTo(404);
        assertThat(pinned.header("X-Error-Code")).hasValue("RevisionNotFound");
        assertThat(pinned.bodyText()).doesNotContain(new String(NEW, StandardCharsets.UTF_8));

        InMemoryResponse main = http.get(E + "/p6/m/resolve/main/w.bin", AUTH);
        assertThat(main.statusCode()).isEqualTo(200);
        assertThat(main.bodyBytes()).isEqualTo(NEW);
        assertThat(main.header("X-Linked-Etag")).hasValue("\"" + sha(NEW) + "\"");
        assertThat(main.header("ETag")).hasValue("\"" + sha(NEW) + "\"");
        assertThat(main.header("X-Linked-Size")).hasValue(Integer.toString(NEW.length));
        assertThat(main.header("X-Repo-Commit")).isPresent().get().isNotEqualTo(oldCommit);
    }

    @Test
    void unknownCommitsListTheModelOncePerTtlNotOncePerRequest() throws Exception {
        MutableClock clock = new MutableClock();
        InMemoryModelFileStore files = new InMemoryModelFileStore(clock);
        CountingStore store = new CountingStore(files);
        ModelRegistry registry = TestRegistry.builder().store(store).catalog(new InMemoryModelCatalog()).clock(clock).build();
        InMemoryHttp http = new InMemoryHttp(registry);
        registry.models().create(DEV, ProjectRef.ofId(6), "m", "", List.of());
        for (int i = 0; i < 20; i++) {
            ModelVersion v = registry.models().createVersion(DEV, ProjectRef.ofId(6), "m", null, "", List.of());
            files.put(6, v.ref(), FilePath.parse("w.bin"), new byte[] {(byte) i});
        }
        store.listings.set(0);
        for (int i = 0; i < 100; i++) {
            String random = HexFormat.of().formatHex(Sha256.hash(new byte[] {(byte) i, 1}).bytes(), 0, 20);
            assertThat(http.get(E + "/p6/m/resolve/" + random + "/w.bin", AUTH).header("X-Error-Code")).hasValue("RevisionNotFound");
        }
        assertThat(store.listings.get()).as("every version listed once for 100 unknown commits").isEqualTo(20);
        clock.advance(Duration.ofSeconds(3));
        http.get(E + "/p6/m/resolve/" + "0".repeat(40) + "/w.bin", AUTH);
        assertThat(store.listings.get()).as("listed again once the index is older than its TTL").isEqualTo(40);
    }

    @Test
    void aVersionTooLargeToListIsListedOncePerTtl() throws Exception {
        MutableClock clock = new MutableClock();
        InMemoryModelFileStore files = new InMemoryModelFileStore(clock);
        CountingStore store = new CountingStore(files);
        ModelRegistry registry = TestRegistry.builder().store(store).catalog(new InMemoryModelCatalog()).clock(clock).build();
        InMemoryHttp http = new InMemoryHttp(registry);
        registry.models().create(DEV, ProjectRef.ofId(6), "m", "", List.of());
        ModelVersion v = registry.models().createVersion(DEV, ProjectRef.ofId(6), "m", "1.0.0", "", List.of());
        for (int i = 0; i <= org.mlregistry.core.HubRepos.MAX_FILES; i++) {
            files.put(6, v.ref(), FilePath.parse("f" + i), new byte[0]);
        }
        store.listings.set(0);
        for (int i = 0; i < 5; i++) {
            InMemoryResponse r = http.get(E + "/api/models/p6/m", AUTH);
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.bodyText()).contains("more than 10000 files");
        }
        assertThat(store.listings.get()).isEqualTo(1);
    }
}
