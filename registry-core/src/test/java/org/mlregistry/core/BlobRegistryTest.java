package org.mlregistry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlregistry.core.memory.InMemoryBlobStore;
import org.mlregistry.core.memory.InMemoryModelCatalog;
import org.mlregistry.core.memory.InMemoryModelFileStore;
import org.mlregistry.core.model.Caller;
import org.mlregistry.core.model.Credential;
import org.mlregistry.core.model.Declared;
import org.mlregistry.core.model.DirectoryPath;
import org.mlregistry.core.model.FileEntry;
import org.mlregistry.core.model.FileOverwrite;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.HistoryKeep;
import org.mlregistry.core.model.HubSnapshot;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.ModelVersionRef;
import org.mlregistry.core.model.ProjectRef;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.spi.ModelFile;
import org.mlregistry.core.testing.MutableClock;
import org.mlregistry.core.testing.TestRegistry;

/**
 * A registry keeping versions' files as manifests and blobs, in memory: bytes stored once, history that keeps
 * resolving until it is collected, integrity errors refused, the directory layout served until it is migrated.
 */
class BlobRegistryTest {

    private static final Caller DEV = Caller.presenting(Credential.of(Credential.Transport.BEARER, TestRegistry.TOKEN));
    private static final ProjectRef PROJECT = ProjectRef.ofId(6);

    private final MutableClock clock = new MutableClock();
    private final InMemoryModelFileStore layout = new InMemoryModelFileStore(clock);
    private final InMemoryBlobStore blobs = new InMemoryBlobStore(clock);
    private final InMemoryModelCatalog catalog = new InMemoryModelCatalog();
    private ModelRegistry registry;
    private ModelVersion v1;

    @BeforeEach
    void setUp() throws Exception {
        registry = TestRegistry.builder().store(layout).catalog(catalog).blobs(blobs).clock(clock).build();
        registry.models().create(DEV, PROJECT, "m", "", List.of());
        v1 = registry.models().createVersion(DEV, PROJECT, "m", "1.0.0", "", List.of());
    }

    private void upload(ModelVersionRef version, String path, String content) throws IOException {
        registry.upload(DEV, PROJECT, version, FilePath.parse(path), Declared.NOTHING,
                new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)));
    }

    private static String read(ModelFile file) throws IOException {
        try (SeekableByteChannel ch = file.open()) {
            ByteBuffer buf = ByteBuffer.allocate((int) file.metadata().size());
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // to the end
            }
            return new String(buf.array(), StandardCharsets.UTF_8);
        }
    }

    private String download(ModelVersionRef version, String path) throws IOException {
        return read(registry.download(DEV, PROJECT, version, FilePath.parse(path)).orElseThrow());
    }

    private String resolve(String revision, String path) throws IOException {
        HubRepos.Resolved r = registry.hub().resolve(registry.authorize(DEV, PROJECT, Access.READ), "p6/m", revision,
                FilePath.parse(path));
        return read(r.stored().orElseThrow());
    }

    private static Refusal refusalOf(ThrowingCallable call) {
        Throwable t = catchThrowable(call);
        assertThat(t).isInstanceOf(RegistryException.class);
        return ((RegistryException) t).reason();
    }

    @Test
    void storesTheBytesOfFilesSharedByVersionsOnce() throws Exception {
        ModelVersion v2 = registry.models().createVersion(DEV, PROJECT, "m", "1.1.0", "", List.of());
        String shard = "x".repeat(10_000);
        upload(v1.ref(), "model.safetensors", shard);
        upload(v2.ref(), "model.safetensors", shard);
        upload(v2.ref(), "copy/model.safetensors", shard);
        assertThat(blobs.totalBytes()).isEqualTo(10_000);
        assertThat(download(v2.ref(), "copy/model.safetensors")).isEqualTo(shard);
        assertThat(layout.list(6, v1.ref(), DirectoryPath.TOP)).as("nothing in the directory layout").isEmpty();
    }

    @Test
    void listsAndAnswersHeadsFromTheManifest() throws Exception {
        upload(v1.ref(), "config.json", "{}");
        upload(v1.ref(), "weights/part-1.bin", "one");
        assertThat(registry.list(DEV, PROJECT, v1.ref(), DirectoryPath.TOP))
                .containsExactly(FileEntry.file("config.json", 2), FileEntry.directory("weights"));
        ModelFile f = registry.download(DEV, PROJECT, v1.ref(), FilePath.parse("weights/part-1.bin")).orElseThrow();
        assertThat(f.knownSha256()).contains(Sha256.hash("one".getBytes(StandardCharsets.UTF_8)));
        assertThat(f.metadata().size()).isEqualTo(3);
        assertThat(registry.download(DEV, PROJECT, v1.ref(), FilePath.parse("weights"))).isEmpty();
    }

    @Test
    void anOldCommitKeepsResolvingToTheBytesItHadUntilHistoryIsCollected() throws Exception {
        upload(v1.ref(), "model.bin", "old weights");
        upload(v1.ref(), "config.json", "{}");
        HubSnapshot before = registry.hub().snapshot(DEV, PROJECT, "p6/m", HubRepos.MAIN);
        upload(v1.ref(), "model.bin", "new weights");
        HubSnapshot after = registry.hub().snapshot(DEV, PROJECT, "p6/m", HubRepos.MAIN);
        assertThat(after.commit()).isNotEqualTo(before.commit());

        assertThat(resolve(before.commit(), "model.bin")).isEqualTo("old weights");
        assertThat(resolve(HubRepos.MAIN, "model.bin")).isEqualTo("new weights");
        assertThat(registry.hub().snapshot(DEV, PROJECT, "p6/m", before.commit()).files()).hasSize(2);

        Blobs upkeep = registry.blobs().orElseThrow();
        assertThat(upkeep.collect(HistoryKeep.ALL, Duration.ZERO).blobsDeleted()).as("history keeps the old blob").isZero();
        clock.advance(Duration.ofSeconds(1));
        Blobs.Collection gc = upkeep.collect(HistoryKeep.NONE, Duration.ZERO);
        assertThat(gc.blobsDeleted()).isEqualTo(1);
        assertThat(gc.bytesFreed()).isEqualTo("old weights".length());
        assertThat(refusalOf(() -> registry.hub().snapshot(DEV, PROJECT, "p6/m", before.commit())))
                .isEqualTo(Refusal.REVISION_NOT_FOUND);
        assertThat(resolve(after.commit(), "model.bin")).isEqualTo("new weights");
    }

    @Test
    void neverCollectsABlobYoungerThanTheGracePeriod() throws Exception {
        upload(v1.ref(), "model.bin", "old");
        upload(v1.ref(), "model.bin", "new");
        clock.advance(Duration.ofMinutes(59));
        Blobs upkeep = registry.blobs().orElseThrow();
        assertThat(upkeep.collect(HistoryKeep.NONE, Duration.ofHours(1)).blobsDeleted()).isZero();
        clock.advance(Duration.ofMinutes(2));
        assertThat(upkeep.collect(HistoryKeep.NONE, Duration.ofHours(1)).blobsDeleted()).isEqualTo(1);
    }

    @Test
    void deletingAVersionLeavesItsBlobsToTheNextCollection() throws Exception {
        upload(v1.ref(), "model.bin", "weights");
        registry.models().deleteVersion(DEV, PROJECT, "m", "1.0.0");
        clock.advance(Duration.ofSeconds(1));
        assertThat(registry.blobs().orElseThrow().collect(HistoryKeep.ALL, Duration.ZERO).blobsDeleted()).isEqualTo(1);
        assertThat(blobs.totalBytes()).isZero();
    }

    @Test
    void refusesAFileWhoseBlobIsMissingOrCorruptAndReportsIt() throws Exception {
        upload(v1.ref(), "model.bin", "weights");
        upload(v1.ref(), "config.json", "{}");
        Sha256 weights = Sha256.hash("weights".getBytes(StandardCharsets.UTF_8));
        blobs.corrupt(weights, "weighty".getBytes(StandardCharsets.UTF_8));
        Blobs.Verification found = registry.blobs().orElseThrow().verify();
        assertThat(found.corrupt()).containsExactly(weights);
        assertThat(found.blobsChecked()).isEqualTo(2);
        assertThat(blobs.isQuarantined(weights)).isTrue();
        assertThat(refusalOf(() -> registry.download(DEV, PROJECT, v1.ref(), FilePath.parse("model.bin"))))
                .isEqualTo(Refusal.CONTENT_MISSING);
        assertThat(registry.health().integrityErrors()).isEqualTo(1);
        assertThat(registry.health().healthy()).as("the other files serve").isTrue();
        assertThat(download(v1.ref(), "config.json")).isEqualTo("{}");

        upload(v1.ref(), "again.bin", "weights");
        assertThat(download(v1.ref(), "model.bin")).as("uploaded anew, the blob is whole again").isEqualTo("weights");
        assertThat(registry.health().integrityErrors()).isZero();
    }

    @Test
    void servesFilesOfTheDirectoryLayoutBesideTheManifest() throws Exception {
        layout.put(6, v1.ref(), FilePath.parse("legacy.bin"), "from before".getBytes(StandardCharsets.UTF_8));
        upload(v1.ref(), "new.bin", "uploaded");
        assertThat(download(v1.ref(), "legacy.bin")).isEqualTo("from before");
        assertThat(registry.list(DEV, PROJECT, v1.ref(), DirectoryPath.TOP)).extracting(FileEntry::name)
                .containsExactly("legacy.bin", "new.bin");
        HubSnapshot main = registry.hub().snapshot(DEV, PROJECT, "p6/m", HubRepos.MAIN);
        assertThat(main.files()).hasSize(2);
        assertThat(resolve(HubRepos.MAIN, "legacy.bin")).isEqualTo("from before");
    }

    /** A file both in the manifest and (not adopted yet, or left beside its row) in the layout: deleted from both. */
    @Test
    void deletesAFileFromTheManifestAndTheLayoutBesideIt() throws Exception {
        upload(v1.ref(), "both.bin", "uploaded");
        layout.put(6, v1.ref(), FilePath.parse("both.bin"), "from before".getBytes(StandardCharsets.UTF_8));
        layout.put(6, v1.ref(), FilePath.parse("legacy.bin"), "legacy".getBytes(StandardCharsets.UTF_8));
        assertThat(registry.deleteFile(DEV, PROJECT, v1.ref(), FilePath.parse("both.bin"))).isTrue();
        assertThat(registry.download(DEV, PROJECT, v1.ref(), FilePath.parse("both.bin"))).isEmpty();
        assertThat(registry.deleteFile(DEV, PROJECT, v1.ref(), FilePath.parse("legacy.bin"))).as("a layout file only").isTrue();
        assertThat(registry.list(DEV, PROJECT, v1.ref(), DirectoryPath.TOP)).isEmpty();
        assertThat(registry.deleteFile(DEV, PROJECT, v1.ref(), FilePath.parse("both.bin"))).isFalse();
    }

    @Test
    void keepsCandidatesInTheDirectoryLayout() throws Exception {
        ModelVersionRef candidate = ModelVersionRef.parse("candidate:4");
        layout.addVersion(6, candidate);
        upload(candidate, "run.bin", "candidate bytes");
        assertThat(layout.list(6, candidate, DirectoryPath.TOP)).extracting(FileEntry::name).containsExactly("run.bin");
        assertThat(download(candidate, "run.bin")).isEqualTo("candidate bytes");
        assertThat(blobs.totalBytes()).isZero();
    }

    @Test
    void refusesAnExistingFileBeforeReadingTheBodyWhenOverwritingIsRefused() throws Exception {
        ModelRegistry refusing = TestRegistry.builder().store(layout).catalog(new InMemoryModelCatalog()).blobs(blobs).clock(clock)
                .fileOverwrite(FileOverwrite.REFUSE).build();
        refusing.models().create(DEV, PROJECT, "m", "", List.of());
        ModelVersion v = refusing.models().createVersion(DEV, PROJECT, "m", "1.0.0", "", List.of());
        refusing.upload(DEV, PROJECT, v.ref(), FilePath.of("a.bin"), Declared.NOTHING, new ByteArrayInputStream(new byte[] {1}));
        AtomicBoolean read = new AtomicBoolean();
        InputStream body = new InputStream() {
            @Override
            public int read() {
                read.set(true);
                return -1;
            }
        };
        assertThat(refusalOf(() -> refusing.upload(DEV, PROJECT, v.ref(), FilePath.of("a.bin"), Declared.NOTHING, body)))
                .isEqualTo(Refusal.FILE_EXISTS);
        assertThat(read).isFalse();
    }

    @Test
    void refusesContentThatIsNotWhatTheClientDeclaredAndStoresNothing() throws Exception {
        Sha256 other = Sha256.hash(new byte[] {9});
        assertThat(refusalOf(() -> registry.upload(DEV, PROJECT, v1.ref(), FilePath.of("a.bin"), new Declared(-1, other),
                new ByteArrayInputStream(new byte[] {1})))).isEqualTo(Refusal.CHECKSUM_MISMATCH);
        assertThat(blobs.totalBytes()).isZero();
        assertThat(registry.list(DEV, PROJECT, v1.ref(), DirectoryPath.TOP)).isEmpty();
    }

    @Test
    void migratesTheDirectoryLayoutIntoManifestsKeepingDigestsTimesAndNewerUploads() throws Exception {
        layout.put(6, v1.ref(), FilePath.parse("config.json"), "{\"old\": true}".getBytes(StandardCharsets.UTF_8));
        layout.put(6, v1.ref(), FilePath.parse("weights/part-1.bin"), "part one".getBytes(StandardCharsets.UTF_8));
        layout.put(6, v1.ref(), FilePath.parse("tokenizer.json"), "old tokenizer".getBytes(StandardCharsets.UTF_8));
        ModelFile before = registry.download(DEV, PROJECT, v1.ref(), FilePath.parse("weights/part-1.bin")).orElseThrow();
        clock.advance(Duration.ofMinutes(5));
        upload(v1.ref(), "tokenizer.json", "new tokenizer");

        Blobs.Migration m = registry.blobs().orElseThrow().migrate();
        assertThat(m.filesAdopted()).as("the upload to tokenizer.json wins").isEqualTo(2);
        assertThat(m.versionsCleared()).isEqualTo(1);
        assertThat(m.complete()).isTrue();
        assertThat(layout.hasVersion(6, v1.ref())).as("the layout directory is gone").isFalse();
        assertThat(registry.blobs().orElseThrow().layoutMigrated()).isTrue();

        ModelFile after = registry.download(DEV, PROJECT, v1.ref(), FilePath.parse("weights/part-1.bin")).orElseThrow();
        assertThat(read(after)).isEqualTo("part one");
        assertThat(after.knownSha256()).contains(before.sha256());
        assertThat(after.metadata().lastModified()).isEqualTo(before.metadata().lastModified());
        assertThat(download(v1.ref(), "tokenizer.json")).isEqualTo("new tokenizer");
        assertThat(download(v1.ref(), "config.json")).isEqualTo("{\"old\": true}");
        assertThat(registry.blobs().orElseThrow().migrate().filesAdopted()).as("idempotent").isZero();

        layout.put(6, v1.ref(), FilePath.parse("late.bin"), new byte[] {1});
        assertThat(registry.download(DEV, PROJECT, v1.ref(), FilePath.parse("late.bin")))
                .as("once migrated, the layout is no longer consulted").isEmpty();
    }

    @Test
    void aLargeManifestListedAgainShowsAChangeMadeByAnotherNode() throws Exception {
        for (int i = 0; i < 300; i++) {
            upload(v1.ref(), "shards/f" + i, "shard " + i);
        }
        assertThat(registry.list(DEV, PROJECT, v1.ref(), DirectoryPath.parse("shards"))).hasSize(300);
        // another node's upload: straight into the shared catalog, not through this registry
        catalog.putFile(v1.id(), new org.mlregistry.core.model.NewFile(FilePath.parse("shards/late"),
                Sha256.hash(new byte[] {1}), 1, "other", clock.instant()), FileOverwrite.REPLACE, () -> { });
        assertThat(registry.list(DEV, PROJECT, v1.ref(), DirectoryPath.parse("shards"))).hasSize(301);
        assertThat(registry.list(DEV, PROJECT, v1.ref(), DirectoryPath.TOP)).containsExactly(FileEntry.directory("shards"));
    }

    @Test
    void aChangeThroughThisNodeIsServedAtOnce() throws Exception {
        upload(v1.ref(), "model.bin", "one");
        assertThat(download(v1.ref(), "model.bin")).isEqualTo("one");
        registry.upload(DEV, PROJECT, v1.ref(), FilePath.parse("model.bin"), Declared.NOTHING,
                new ByteArrayInputStream("two".getBytes(StandardCharsets.UTF_8)));
        assertThat(download(v1.ref(), "model.bin")).isEqualTo("two");
        assertThat(registry.deleteFile(DEV, PROJECT, v1.ref(), FilePath.parse("model.bin"))).isTrue();
        assertThat(registry.download(DEV, PROJECT, v1.ref(), FilePath.parse("model.bin"))).isEmpty();
    }
}
