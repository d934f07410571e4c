package org.mlregistry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlregistry.core.memory.InMemoryModelCatalog;
import org.mlregistry.core.memory.InMemoryModelFileStore;
import org.mlregistry.core.model.Caller;
import org.mlregistry.core.model.Credential;
import org.mlregistry.core.model.Declared;
import org.mlregistry.core.model.DeletedVersion;
import org.mlregistry.core.model.DirectoryPath;
import org.mlregistry.core.model.FileEntry;
import org.mlregistry.core.model.FileMetadata;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.ModelVersionRef;
import org.mlregistry.core.model.ProjectRef;
import org.mlregistry.core.spi.ModelFile;
import org.mlregistry.core.spi.ModelFileStore;
import org.mlregistry.core.spi.WriteOptions;
import org.mlregistry.core.testing.RegistryFixture;
import org.mlregistry.core.testing.TestRegistry;

/**
 * Issue 22's M1: an upload into a version deleted meanwhile fails (404) and leaves nothing; a delete answers once
 * the catalog has deleted, whether or not storage could be cleaned at once; what storage could not remove then is
 * removed by the next clean-up, and the catalog's record of it goes only after that.
 */
class DeletionTest {

    static final Caller DEV = Caller.presenting(Credential.of(Credential.Transport.BEARER, TestRegistry.TOKEN));
    static final ProjectRef PROJECT = ProjectRef.ofId(6);

    /** A store whose version deletions fail while {@link #failing} is set, and that counts them. */
    static final class FlakyStore implements ModelFileStore {
        final InMemoryModelFileStore inner = new InMemoryModelFileStore(RegistryFixture.CLOCK);
        volatile boolean failing;
        final AtomicInteger deletions = new AtomicInteger();

        @Override
        public java.util.Optional<ModelFile> find(long projectId, ModelVersionRef version, FilePath path) {
            return inner.find(projectId, version, path);
        }

        @Override
        public boolean hasVersion(long projectId, ModelVersionRef version) {
            return inner.hasVersion(projectId, version);
        }

        @Override
        public List<FileEntry> list(long projectId, ModelVersionRef version, DirectoryPath directory) {
            return inner.list(projectId, version, directory);
        }

        @Override
        public FileMetadata store(long projectId, ModelVersionRef version, FilePath path, InputStream content, WriteOptions options)
                throws IOException {
            return inner.store(projectId, version, path, content, options);
        }

        @Override
        public void deleteVersion(long projectId, ModelVersionRef version) throws IOException {
            deletions.incrementAndGet();
            if (failing) {
                throw new IOException("storage is down");
            }
            inner.deleteVersion(projectId, version);
        }
    }

    FlakyStore store;
    InMemoryModelCatalog catalog;
    ModelRegistry registry;
    final ExecutorService pool = Executors.newCachedThreadPool();

    @BeforeEach
    void setUp() throws Exception {
        store = new FlakyStore();
        catalog = new InMemoryModelCatalog();
        registry = TestRegistry.builder().store(store).catalog(catalog).clock(RegistryFixture.CLOCK).build();
        registry.models().create(DEV, PROJECT, "m", "", List.of());
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /** A body that sends its first byte, then waits for {@code release} before it ends. */
    static InputStream held(CountDownLatch started, CountDownLatch release) {
        return new InputStream() {
            int sent;

            @Override
            public int read() throws IOException {
                if (sent == 1) {
                    started.countDown();
                    try {
                        if (!release.await(10, TimeUnit.SECONDS)) {
                            throw new IOException("never released");
                        }
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                }
                return sent++ < 3 ? 'x' : -1;
            }
        };
    }

    @Test
    void anUploadIntoAVersionDeletedMeanwhileFailsAndLeavesNothing() throws Exception {
        ModelVersion v = registry.models().createVersion(DEV, PROJECT, "m", "1.0.0", "", List.of());
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> upload = pool.submit(() -> registry.upload(DEV, PROJECT, v.ref(), FilePath.parse("w.bin"), Declared.NOTHING,
                held(started, release)));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        registry.models().deleteVersion(DEV, PROJECT, "m", "1.0.0"); // answered while the upload is still arriving
        release.countDown();
        Throwable failed = catchThrowable(upload::get);
        assertThat(failed).hasCauseInstanceOf(RegistryException.class);
        assertThat(((RegistryException) failed.getCause()).reason()).isEqualTo(Refusal.RESOURCE_DOES_NOT_EXIST);
        assertThat(store.inner.find(6, v.ref(), FilePath.parse("w.bin"))).isEmpty();
        assertThat(store.inner.hasVersion(6, v.ref())).isFalse();
        assertThat(catalog.deletedVersions(-1, 10)).as("cleaned up: no record left").isEmpty();
    }

    @Test
    void aModelDeletedDuringManyUploadsLeavesNoFileOfItsVersions() throws Exception {
        List<ModelVersion> versions = List.of(registry.models().createVersion(DEV, PROJECT, "m", "1.0.0", "", List.of()),
                registry.models().createVersion(DEV, PROJECT, "m", "2.0.0", "", List.of()));
        CountDownLatch started = new CountDownLatch(8);
        CountDownLatch release = new CountDownLatch(1);
        List<Future<?>> uploads = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ModelVersion v = versions.get(i % 2);
            String name = "f" + i + ".bin";
            uploads.add(pool.submit(() -> registry.upload(DEV, PROJECT, v.ref(), FilePath.parse(name), Declared.NOTHING,
                    held(started, release))));
        }
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        registry.models().delete(DEV, PROJECT, "m");
        release.countDown();
        for (Future<?> u : uploads) {
            Throwable t = catchThrowable(u::get);
            assertThat(t).hasCauseInstanceOf(RegistryException.class);
        }
        for (ModelVersion v : versions) {
            assertThat(store.inner.hasVersion(6, v.ref())).isFalse();
        }
    }

    @Test
    void aDeleteWhoseStorageFailsIsAnsweredAndFinishedByTheNextCleanUp() throws Exception {
        ModelVersion v = registry.models().createVersion(DEV, PROJECT, "m", "1.0.0", "", List.of());
        registry.upload(DEV, PROJECT, v.ref(), FilePath.parse("w.bin"), Declared.NOTHING, InputStream.nullInputStream());
        store.failing = true;
        registry.models().deleteVersion(DEV, PROJECT, "m", "1.0.0"); // no exception: the catalog has deleted it
        assertThat(registry.download(DEV, PROJECT, v.ref(), FilePath.parse("w.bin"))).as("never served again").isEmpty();
        assertThat(catalog.deletedVersions(-1, 10)).containsExactly(new DeletedVersion(6, v.id()));
        assertThat(store.inner.hasVersion(6, v.ref())).as("still on disk while storage fails").isTrue();

        assertThat(registry.removeDeletedFiles()).as("storage still failing").isZero();
        assertThat(catalog.deletedVersions(-1, 10)).hasSize(1);
        store.failing = false;
        assertThat(registry.removeDeletedFiles()).isEqualTo(1);
        assertThat(store.inner.hasVersion(6, v.ref())).isFalse();
        assertThat(catalog.deletedVersions(-1, 10)).isEmpty();
        assertThat(registry.removeDeletedFiles()).as("nothing left to do").isZero();
    }

    @Test
    void cleansUpManyDeletedVersionsInBatches() throws Exception {
        store.failing = true;
        for (int i = 0; i < Deletions.CLEAN_UP_BATCH + 20; i++) {
            ModelVersion v = registry.models().createVersion(DEV, PROJECT, "m", null, "", List.of());
            registry.models().deleteVersion(DEV, PROJECT, "m", Long.toString(v.id()));
        }
        store.failing = false;
        assertThat(registry.removeDeletedFiles()).isEqualTo(Deletions.CLEAN_UP_BATCH + 20);
        assertThat(catalog.deletedVersions(-1, 1000)).isEmpty();
    }
}
