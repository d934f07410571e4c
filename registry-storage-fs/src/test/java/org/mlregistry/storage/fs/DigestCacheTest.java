package org.mlregistry.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.model.FileOverwrite;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ModelVersionRef;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.spi.WriteOptions;
import org.mlregistry.core.spi.ModelFile;

/** Each file version is hashed once: kept across requests and restarts, renewed when the file changes. */
class DigestCacheTest {

    private static final ModelVersionRef V1 = ModelVersionRef.ofVersion(1);
    private static final FilePath MODEL = FilePath.of("model.bin");

    @TempDir
    Path root;
    Path file;

    @BeforeEach
    void placeByHand() throws Exception {
        file = Files.createDirectories(root.resolve("7/1")).resolve("model.bin");
        Files.writeString(file, "weights v1");
    }

    private static String sha(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes()));
    }

    private static Sha256 digest(FileSystemModelFileStore store) throws Exception {
        return store.find(7, V1, MODEL).orElseThrow().sha256();
    }

    @Test
    void hashesAFilePlacedByHandOnceAndRemembersIt() throws Exception {
        FileSystemModelFileStore store = new FileSystemModelFileStore(root);
        assertThat(digest(store).hex()).isEqualTo(sha("weights v1"));
        assertThat(digest(store).hex()).isEqualTo(sha("weights v1"));
        assertThat(store.hashesComputed()).isEqualTo(1);
    }

    @Test
    void saysTheDigestOfAFilePlacedByHandIsUnknownUntilItIsHashed() throws Exception {
        FileSystemModelFileStore store = new FileSystemModelFileStore(root);
        assertThat(store.find(7, V1, MODEL).orElseThrow().knownSha256()).isEmpty();
        assertThat(store.hashesComputed()).isZero();
        Sha256 computed = digest(store);
        assertThat(store.find(7, V1, MODEL).orElseThrow().knownSha256()).contains(computed);
        assertThat(new FileSystemModelFileStore(root).find(7, V1, MODEL).orElseThrow().knownSha256())
                .as("known from the sidecar after a restart").contains(computed);
    }

    @Test
    void keepsDigestsAcrossRestartsInASidecarNoRequestCanReach() throws Exception {
        digest(new FileSystemModelFileStore(root));
        FileSystemModelFileStore restarted = new FileSystemModelFileStore(root);
        assertThat(digest(restarted).hex()).isEqualTo(sha("weights v1"));
        assertThat(restarted.hashesComputed()).isZero();
        assertThat(root.resolve(".mlregistry/digests/7/1/model.bin.sha256")).exists();
    }

    @Test
    void rehashesWhenTheFileChanges() throws Exception {
        FileSystemModelFileStore store = new FileSystemModelFileStore(root);
        digest(store);
        Files.writeString(file, "weights v2 longer");
        assertThat(digest(store).hex()).isEqualTo(sha("weights v2 longer"));
        Files.writeString(file, "weights v3 longer"); // same size
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
        assertThat(digest(new FileSystemModelFileStore(root)).hex()).isEqualTo(sha("weights v3 longer"));
    }

    @Test
    void rehashesWhenTheSidecarIsUnreadable() throws Exception {
        digest(new FileSystemModelFileStore(root));
        Files.writeString(root.resolve(".mlregistry/digests/7/1/model.bin.sha256"), "garbage");
        FileSystemModelFileStore store = new FileSystemModelFileStore(root);
        assertThat(digest(store).hex()).isEqualTo(sha("weights v1"));
        assertThat(store.hashesComputed()).isEqualTo(1);
    }

    @Test
    void hashesOnceUnderConcurrentFirstRequests() throws Exception {
        Files.write(file, new byte[32 * 1024 * 1024]);
        FileSystemModelFileStore store = new FileSystemModelFileStore(root);
        List<ModelFile> found = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            found.add(store.find(7, V1, MODEL).orElseThrow());
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Sha256>> results = new ArrayList<>();
            for (ModelFile f : found) {
                results.add(pool.submit(() -> {
                    start.await();
                    return f.sha256();
                }));
            }
            start.countDown();
            for (Future<Sha256> r : results) {
                assertThat(r.get()).isEqualTo(results.get(0).get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.hashesComputed()).isEqualTo(1);
    }

    @Test
    void knowsTheDigestOfAnUploadWithoutReadingItAgain() throws Exception {
        FileSystemModelFileStore store = new FileSystemModelFileStore(root);
        store.store(7, V1, FilePath.of("up.bin"), new ByteArrayInputStream("uploaded".getBytes()),
                WriteOptions.of(FileOverwrite.REPLACE));
        assertThat(store.find(7, V1, FilePath.of("up.bin")).orElseThrow().sha256().hex()).isEqualTo(sha("uploaded"));
        assertThat(store.hashesComputed()).isZero();
    }

    @Test
    void hashesInTheBackgroundOnceWhenRequestsMustNotWaitAndJoinsThatPass() throws Exception {
        Files.write(file, new byte[32 * 1024 * 1024]);
        try (FileSystemModelFileStore store = new FileSystemModelFileStore(root)) {
            ModelFile found = store.find(7, V1, MODEL).orElseThrow();
            for (int i = 0; i < 20; i++) {
                assertThat(store.find(7, V1, MODEL).orElseThrow().readySha256()).isEmpty(); // queued, never awaited
            }
            Sha256 waited = found.sha256(); // joins the background pass instead of starting another

            assertThat(waited.hex()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(new byte[32 * 1024 * 1024])));
            assertThat(store.find(7, V1, MODEL).orElseThrow().readySha256()).contains(waited);
            assertThat(store.hashesComputed()).isEqualTo(1);
        }
    }

    @Test
    void hashesEveryFilePlacedByHandAtStartUpWhenAskedTo() throws Exception {
        Files.writeString(Files.createDirectories(root.resolve("7/2/sub")).resolve("config.json"), "{}");
        try (FileSystemModelFileStore store = FileSystemModelFileStore.builder(root).hashAtStartup(true).build()) {
            Instant deadline = Instant.now().plusSeconds(30);
            // the count goes up before a digest is written beside its file: closing before the thread is idle could lose it
            while ((store.hashesComputed() < 2 || !store.hashingIdle()) && Instant.now().isBefore(deadline)) {
                Thread.sleep(20);
            }

            assertThat(store.hashesComputed()).isEqualTo(2);
            assertThat(store.find(7, V1, MODEL).orElseThrow().knownSha256().map(Sha256::hex)).hasValue(sha("weights v1"));
            assertThat(store.find(7, ModelVersionRef.ofVersion(2), FilePath.parse("sub/config.json")).orElseThrow().knownSha256()
                    .map(Sha256::hex)).hasValue(sha("{}"));
        }
        try (FileSystemModelFileStore again = FileSystemModelFileStore.builder(root).hashAtStartup(true).build()) {
            Instant deadline = Instant.now().plusSeconds(30);
            do {
                Thread.sleep(20); // the start-up scan is queued on the hashing thread; wait until it has run
            } while (!again.hashingIdle() && Instant.now().isBefore(deadline));
            assertThat(again.hashingIdle()).isTrue();
            assertThat(again.hashesComputed()).as("nothing left to hash after a restart").isZero();
        }
    }
}
