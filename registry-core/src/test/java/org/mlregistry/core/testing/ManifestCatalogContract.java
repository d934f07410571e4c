package org.mlregistry.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.mlregistry.core.Refusal;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.model.FileOverwrite;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.Manifest;
import org.mlregistry.core.model.ManifestFile;
import org.mlregistry.core.model.ModelName;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.NewFile;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.model.StoredBlob;
import org.mlregistry.core.spi.ManifestCatalog;
import org.mlregistry.core.spi.ModelCatalog;

/**
 * What every {@link ManifestCatalog} must do: the in-memory catalog, H2 and PostgreSQL run it alike. Shipped in the
 * core test-jar: subclass it and return your catalog, empty, from {@link #catalog()}.
 */
public abstract class ManifestCatalogContract {

    private static final Instant T0 = Instant.parse("2026-06-01T12:00:00.123Z");
    private static final Instant T1 = Instant.parse("2026-06-02T08:30:00.456Z");
    private static final Instant T2 = Instant.parse("2026-06-03T08:30:00Z");
    private static final ManifestCatalog.StorageStep NOTHING = () -> { };

    /** The catalog under test, empty, new for each test: a {@link ModelCatalog} keeping manifests. */
    protected abstract ManifestCatalog catalog() throws IOException;

    private ModelVersion version(ManifestCatalog c, String model) throws IOException {
        ModelCatalog models = (ModelCatalog) c;
        ModelName name = new ModelName(model);
        if (models.findModel(7, name).isEmpty()) {
            models.createModel(7, name, "", List.of(), "", T0);
        }
        return models.createVersion(7, name, Optional.empty(), "", List.of(), T0);
    }

    private static Sha256 sha(String text) {
        return Sha256.hash(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static NewFile file(String path, String content, Instant at) {
        return new NewFile(FilePath.parse(path), sha(content), content.length(), "dev", at);
    }

    private static Refusal refusalOf(ThrowingCallable call) {
        Throwable t = catchThrowable(call);
        assertThat(t).isInstanceOf(RegistryException.class);
        return ((RegistryException) t).reason();
    }

    @Test
    void aNewVersionHasAnEmptyManifestAndAMissingOneNone() throws IOException {
        ManifestCatalog c = catalog();
        ModelVersion v = version(c, "m");
        Manifest m = c.manifest(v.id()).orElseThrow();
        assertThat(m.revision()).isZero();
        assertThat(m.files()).isEmpty();
        assertThat(c.manifest(v.id() + 1000)).isEmpty();
        assertThat(c.findFile(v.id(), FilePath.parse("a.bin"))).isEmpty();
    }

    @Test
    void putsAFileInOneRevisionAfterPlacingItsBlob() throws IOException {
        ManifestCatalog c = catalog();
        ModelVersion v = version(c, "m");
        AtomicInteger placed = new AtomicInteger();
        ManifestFile row = c.putFile(v.id(), file("dir/model.bin", "weights", T1), FileOverwrite.REPLACE, placed::incrementAndGet);
        assertThat(placed).hasValue(1);
        assertThat(row.path()).isEqualTo(FilePath.parse("dir/model.bin"));
        assertThat(row.size()).isEqualTo(7);
        assertThat(row.sha256()).isEqualTo(sha("weights"));
        assertThat(row.created()).isEqualTo(T1);
        assertThat(row.uploadedBy()).isEqualTo("dev");
        assertThat(c.findFile(v.id(), FilePath.parse("dir/model.bin"))).contains(row);
        Manifest m = c.manifest(v.id()).orElseThrow();
        assertThat(m.revision()).isEqualTo(1);
        assertThat(m.files()).containsExactly(row);
    }

    @Test
    void replacingMakesANewRowAndRevisionAndKeepsTheOldInHistory() throws IOException {
        ManifestCatalog c = catalog();
        ModelVersion v = version(c, "m");
        ManifestFile first = c.putFile(v.id(), file("a.bin", "one", T0), FileOverwrite.REPLACE, NOTHING);
        c.putFile(v.id(), file("b.bin", "bee", T0), FileOverwrite.REPLACE, NOTHING);
        ManifestFile second = c.putFile(v.id(), file("a.bin", "two", T1), FileOverwrite.REPLACE, NOTHING);
        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(c.manifest(v.id()).orElseThrow().revision()).isEqualTo(3);
        assertThat(c.manifestAt(v.id(), 2).orElseThrow().file(FilePath.parse("a.bin"))).contains(first);
        assertThat(c.manifestAt(v.id(), 3).orElseThrow().file(FilePath.parse("a.bin"))).contains(second);
        assertThat(c.manifestAt(v.id(), 1).orElseThrow().files()).containsExactly(first);
        assertThat(c.manifestAt(v.id(), 0).orElseThrow().files()).isEmpty();
        assertThat(c.manifestAt(v.id(), 4)).isEmpty();
    }

    @Test
    void theSameContentAgainMakesNoRevision() throws IOException {
        ManifestCatalog c = catalog();
        ModelVersion v = version(c, "m");
        ManifestFile first = c.putFile(v.id(), file("a.bin", "one", T0), FileOverwrite.REPLACE, NOTHING);
        assertThat(c.putFile(v.id(), file("a.bin", "one", T1), FileOverwrite.REPLACE, NOTHING)).isEqualTo(first);
        assertThat(c.manifest(v.id()).orElseThrow().revision()).isEqualTo(1);
    }

    @Test
    void refusesToOverwriteWhenToldToWithoutPlacingTheBlob() throws IOException {
        ManifestCatalog c = catalog();
        ModelVersion v = version(c, "m");
        c.putFile(v.id(), file("a.bin", "one", T0), FileOverwrite.REPLACE, NOTHING);
        AtomicInteger placed = new AtomicInteger();
        assertThat(refusalOf(() -> c.putFile(v.id(), file("a.bin", "two", T1), FileOverwrite.REFUSE, placed::incrementAndGet)))
                .isEqualTo(Refusal.FILE_EXISTS);
        assertThat(placed).hasValue(0);
        assertThat(c.findFile(v.id(), FilePath.parse("a.bin")).orElseThrow().sha256()).isEqualTo(sha("one"));
    }

    @Test
    void refusesAPathThroughAFileOrOntoADirectory() throws IOException {
        ManifestCatalog c = catalog();
        ModelVersion v = version(c, "m");
        c.putFile(v.id(), file("a/b.bin", "x", T0), FileOverwrite.REPLACE, NOTHING);
        assertThat(refusalOf(() -> c.putFile(v.id(), file("a", "y", T1), FileOverwrite.REPLACE, NOTHING)))
                .as("the name is a directory").isEqualTo(Refusal.PATH_CONFLICT);
        assertThat(refusalOf(() -> c.putFile(v.id(), file("a/b.bin/c", "y", T1), FileOverwrite.REPLACE, NOTHING)))
                .as("a part of the path is a file").isEqualTo(Refusal.PATH_CONFLICT);
        c.putFile(v.id(), file("ab/c", "z", T1), FileOverwrite.REPLACE, NOTHING);
        c.putFile(v.id(), file("a_", "z", T1), FileOverwrite.REPLACE, NOTHING);
        c.putFile(v.id(), file("a_b/c", "z", T1), FileOverwrite.REPLACE, NOTHING);
        assertThat(refusalOf(() -> c.putFile(v.id(), file("a_b", "y", T1), FileOverwrite.REPLACE, NOTHING)))
                .isEqualTo(Refusal.PATH_CONFLICT);
        assertThat(c.manifest(v.id()).orElseThrow().files()).as("a LIKE wildcard is a plain character").hasSize(4);
    }

    @Test
    void refusesAFileOfAVersionThatDoesNotExistOrWasDeleted() throws IOException {
        ManifestCatalog c = catalog();
        ModelVersion v = version(c, "m");
        c.putFile(v.id(), file("a.bin", "one", T0), FileOverwrite.REPLACE, NOTHING);
        AtomicInteger placed = new AtomicInteger();
        assertThat(refusalOf(() -> c.putFile(v.id() + 1000, file("a.bin", "one", T0), FileOverwrite.REPLACE, placed::incrementAndGet)))
                .isEqualTo(Refusal.RESOURCE_DOES_NOT_EXIST);
        assertThat(((ModelCatalog) c).deleteVersion(7, v.id())).isTrue();
        assertThat(refusalOf(() -> c.putFile(v.id(), file("b.bin", "two", T0), FileOverwrite.REPLACE, placed::incrementAndGet)))
                .isEqualTo(Refusal.RESOURCE_DOES_NOT_EXIST);
        assertThat(placed).hasValue(0);
        assertThat(c.manifest(v.id())).isEmpty();
        assertThat(c.referenced(sha("one"))).as("a deleted version refers to nothing").isFalse();
    }

    @Test
    void removesAFileInANewRevision() throws IOException {
        ManifestCatalog c = catalog();
        ModelVersion v = version(c, "m");
        ManifestFile a = c.putFile(v.id(), file("a.bin", "one", T0), FileOverwrite.REPLACE, NOTHING);
        assertThat(c.removeFile(v.id(), FilePath.parse("a.bin"), T1)).isTrue();
        assertThat(c.removeFile(v.id(), FilePath.parse("a.bin"), T1)).isFalse();
        assertThat(c.findFile(v.id(), FilePath.parse("a.bin"))).isEmpty();
        assertThat(c.manifest(v.id()).orElseThrow().revision()).isEqualTo(2);
        assertThat(c.manifestAt(v.id(), 1).orElseThrow().files()).containsExactly(a);
        c.putFile(v.id(), file("a", "now a file", T2), FileOverwrite.REPLACE, NOTHING);
    }

    @Test
    void adoptsAFileOnlyWhereThePathHoldsNone() throws IOException {
        ManifestCatalog c = catalog();
        ModelVersion v = version(c, "m");
        c.putFile(v.id(), file("a.bin", "uploaded", T1), FileOverwrite.REPLACE, NOTHING);
        AtomicInteger placed = new AtomicInteger();
        assertThat(c.adoptFile(v.id(), file("a.bin", "old", T0), placed::incrementAndGet)).isFalse();
        assertThat(c.adoptFile(v.id(), file("b.bin", "old", T0), placed::incrementAndGet)).isTrue();
        assertThat(placed).hasValue(1);
        assertThat(c.findFile(v.id(), FilePath.parse("a.bin")).orElseThrow().sha256()).isEqualTo(sha("uploaded"));
        assertThat(c.findFile(v.id(), FilePath.parse("b.bin")).orElseThrow().created()).isEqualTo(T0);
    }

    @Test
    void findsTheNewestRevisionACommitIdNamedAmongTheVersionsAsked() throws IOException {
        ManifestCatalog c = catalog();
        ModelVersion v = version(c, "m");
        ModelVersion other = version(c, "m");
        c.putFile(v.id(), file("a.bin", "one", T0), FileOverwrite.REPLACE, NOTHING);
        String commit = "0123456789abcdef0123456789abcdef01234567";
        c.nameCommit(new ManifestCatalog.Revision(v.id(), 1), commit);
        c.putFile(v.id(), file("a.bin", "two", T1), FileOverwrite.REPLACE, NOTHING);
        c.putFile(v.id(), file("a.bin", "one", T2), FileOverwrite.REPLACE, NOTHING);
        c.nameCommit(new ManifestCatalog.Revision(v.id(), 3), commit);
        assertThat(c.findCommit(List.of(v.id(), other.id()), commit)).contains(new ManifestCatalog.Revision(v.id(), 3));
        assertThat(c.findCommit(List.of(other.id()), commit)).isEmpty();
        assertThat(c.findCommit(List.of(v.id()), "f".repeat(40))).isEmpty();
        assertThat(c.findCommit(List.of(), commit)).isEmpty();
    }

    @Test
    void forgetsSupersededRevisionsAndTheRowsOnlyTheyHeld() throws IOException {
        ManifestCatalog c = catalog();
        ModelVersion v = version(c, "m");
        c.putFile(v.id(), file("a.bin", "one", T0), FileOverwrite.REPLACE, NOTHING);
        c.putFile(v.id(), file("b.bin", "kept", T0), FileOverwrite.REPLACE, NOTHING);
        c.putFile(v.id(), file("a.bin", "two", T1), FileOverwrite.REPLACE, NOTHING);
        c.putFile(v.id(), file("a.bin", "three", T2), FileOverwrite.REPLACE, NOTHING);
        c.nameCommit(new ManifestCatalog.Revision(v.id(), 1), "1".repeat(40));
        assertThat(c.forgetHistory(T1)).as("revisions 0 and 1 were superseded at T0").isEqualTo(2);
        assertThat(c.referenced(sha("one"))).as("revision 2 still holds it").isTrue();
        assertThat(c.forgetHistory(T1.plusNanos(1))).as("revision 2 was superseded at T1").isEqualTo(1);
        assertThat(c.manifestAt(v.id(), 1)).isEmpty();
        assertThat(c.findCommit(List.of(v.id()), "1".repeat(40))).isEmpty();
        assertThat(c.manifestAt(v.id(), 3).orElseThrow().files()).extracting(ManifestFile::sha256)
                .containsExactlyInAnyOrder(sha("two"), sha("kept"));
        assertThat(c.referenced(sha("one"))).isFalse();
        assertThat(c.referenced(sha("two"))).isTrue();
        assertThat(c.forgetHistory(T2.plusNanos(1))).isEqualTo(1);
        assertThat(c.referenced(sha("two"))).isFalse();
        assertThat(c.manifest(v.id()).orElseThrow().files()).extracting(ManifestFile::sha256)
                .containsExactlyInAnyOrder(sha("three"), sha("kept"));
        assertThat(c.manifestAt(v.id(), 4)).isPresent();
    }

    @Test
    void collectsABlobOnlyWhenNothingRefersToIt() throws IOException {
        ManifestCatalog c = catalog();
        ModelVersion v = version(c, "m");
        c.putFile(v.id(), file("a.bin", "one", T0), FileOverwrite.REPLACE, NOTHING);
        AtomicInteger deleted = new AtomicInteger();
        assertThat(c.collectBlob(sha("one"), deleted::incrementAndGet)).isFalse();
        assertThat(c.collectBlob(sha("never stored"), deleted::incrementAndGet)).isTrue();
        assertThat(deleted).hasValue(1);
        assertThat(c.referencedBlobs(null, 10)).extracting(StoredBlob::sha256).containsExactly(sha("one"));
    }

    @Test
    void pagesThroughReferencedBlobsByName() throws IOException {
        ManifestCatalog c = catalog();
        ModelVersion v = version(c, "m");
        ModelVersion w = version(c, "m");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            c.putFile(v.id(), file("f" + i, "content " + i, T0), FileOverwrite.REPLACE, NOTHING);
            c.putFile(w.id(), file("g" + i, "content " + i, T0), FileOverwrite.REPLACE, NOTHING);
            expected.add(sha("content " + i).hex());
        }
        List<String> seen = new ArrayList<>();
        Sha256 after = null;
        for (List<StoredBlob> page = c.referencedBlobs(null, 2); !page.isEmpty(); page = c.referencedBlobs(after, 2)) {
            page.forEach(b -> seen.add(b.sha256().hex()));
            after = page.get(page.size() - 1).sha256();
        }
        assertThat(seen).as("each blob once, however many files refer to it").containsExactlyElementsOf(expected.stream().sorted().toList());
    }

    @Test
    void keepsEveryConcurrentPutIntoOneVersion() throws Exception {
        ManifestCatalog c = catalog();
        ModelVersion v = version(c, "m");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<ManifestFile>> all = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                NewFile f = file("shard-" + i, "content " + (i % 4), T0);
                Callable<ManifestFile> put = () -> c.putFile(v.id(), f, FileOverwrite.REPLACE, NOTHING);
                all.add(pool.submit(put));
            }
            for (Future<ManifestFile> f : all) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        Manifest m = c.manifest(v.id()).orElseThrow();
        assertThat(m.files()).hasSize(24);
        assertThat(m.revision()).isEqualTo(24);
        assertThat(m.files()).extracting(ManifestFile::id).doesNotHaveDuplicates();
    }

    @Test
    void pagesThroughEveryVersionAndKeepsSettings() throws IOException {
        ManifestCatalog c = catalog();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(version(c, "m" + (i % 2)).id());
        }
        List<Long> seen = new ArrayList<>();
        long after = 0;
        for (List<ModelVersion> page = c.versionsAfter(0, 2); !page.isEmpty(); page = c.versionsAfter(after, 2)) {
            assertThat(page.size()).isLessThanOrEqualTo(2);
            page.forEach(v -> seen.add(v.id()));
            after = page.get(page.size() - 1).id();
        }
        assertThat(seen).containsExactlyElementsOf(ids);
        assertThat(c.setting("layout-migrated")).isEmpty();
        c.putSetting("layout-migrated", "true");
        c.putSetting("layout-migrated", "yes");
        assertThat(c.setting("layout-migrated")).contains("yes");
    }
}
