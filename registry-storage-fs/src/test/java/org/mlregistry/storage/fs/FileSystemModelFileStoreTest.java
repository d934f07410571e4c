package org.mlregistry.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.Refusal;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.model.FileOverwrite;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ModelVersionRef;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.spi.ModelFile;
import org.mlregistry.core.spi.ModelFileStore;
import org.mlregistry.core.spi.WriteOptions;
import org.mlregistry.core.testing.ModelFileStoreContract;

class FileSystemModelFileStoreTest extends ModelFileStoreContract {

    private static final ModelVersionRef V1 = ModelVersionRef.ofVersion(1);

    @TempDir
    Path temp;
    Path root;

    @BeforeEach
    void createRoot() throws IOException {
        root = Files.createDirectories(temp.resolve("root"));
    }

    private static final WriteOptions REPLACE = WriteOptions.of(FileOverwrite.REPLACE);

    private static InputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private static Refusal refusalOf(ThrowingCallable call) {
        Throwable t = catchThrowable(call);
        assertThat(t).isInstanceOf(RegistryException.class);
        return ((RegistryException) t).reason();
    }

    @Override
    protected ModelFileStore store() throws IOException {
        return new FileSystemModelFileStore(root);
    }

    @Nested
    class Layout {
        @Test
        void servesFilesPlacedByHandInTheDocumentedLayout() throws IOException {
            Path dir = Files.createDirectories(root.resolve("7/candidate_3/weights"));
            Files.writeString(dir.resolve("model.bin"), "by hand");
            ModelFile f = store().find(7, ModelVersionRef.ofCandidate(3), FilePath.parse("weights/model.bin")).orElseThrow();
            assertThat(read(f)).isEqualTo("by hand");
        }

        @Test
        void writesUploadsToTheDocumentedLayout() throws IOException {
            store().store(7, V1, FilePath.parse("a/model.bin"), bytes("up"), REPLACE);
            assertThat(root.resolve("7/1/a/model.bin")).hasContent("up");
        }

        @Test
        void leavesNoTempFileBehindWhetherTheUploadSucceedsOrFails() throws IOException {
            ModelFileStore s = store();
            s.store(7, V1, FilePath.of("model.bin"), bytes("x"), REPLACE);
            s.store(7, V1, FilePath.of("model.bin"), bytes("y"), REPLACE);
            assertThatThrownBy(() -> s.store(7, V1, FilePath.of("model.bin"), bytes("z"),
                    REPLACE.expecting(Sha256.hash(new byte[0])))).isInstanceOf(RegistryException.class);
            assertThat(partFiles()).isEmpty();
        }

        @Test
        void answersAFileAndADirectoryRacingForOneNameWithASuccessOrAConflictOnly() throws Exception {
            ModelFileStore s = store();
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                for (int round = 0; round < 200; round++) {
                    String name = "r" + round;
                    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                    var asFile = pool.submit(() -> outcome(go, () -> s.store(7, V1, FilePath.of(name), bytes("f"), REPLACE)));
                    var asDir = pool.submit(() -> outcome(go, () -> s.store(7, V1, FilePath.parse(name + "/x.bin"), bytes("d"),
                            REPLACE)));
                    go.countDown();
                    assertThat(List.of(asFile.get(), asDir.get())).containsExactlyInAnyOrder("stored", "PATH_CONFLICT");
                }
            } finally {
                pool.shutdownNow();
            }
        }

        private String outcome(java.util.concurrent.CountDownLatch go, ThrowingCallable upload) throws InterruptedException {
            go.await();
            Throwable t = catchThrowable(upload);
            return t == null ? "stored" : t instanceof RegistryException e ? e.reason().name() : t.toString();
        }

        @Test
        void refusesToOpenAFileReplacedSinceItWasFound() throws IOException {
            ModelFileStore s = store();
            s.store(7, V1, FilePath.of("model.bin"), bytes("one"), REPLACE);
            ModelFile found = s.find(7, V1, FilePath.of("model.bin")).orElseThrow();
            s.store(7, V1, FilePath.of("model.bin"), bytes("two, and longer"), REPLACE);
            assertThatThrownBy(found::open).isInstanceOf(java.nio.file.NoSuchFileException.class);
            assertThat(read(s.find(7, V1, FilePath.of("model.bin")).orElseThrow())).isEqualTo("two, and longer");
        }

        @Test
        void removesTheDirectoriesOfAFailedUploadButNoOthers() throws IOException {
            ModelFileStore s = store();
            Sha256 wrong = Sha256.hash(new byte[0]);
            assertThat(refusalOf(() -> s.store(7, V1, FilePath.parse("a/b/model.bin"), bytes("x"), REPLACE.expecting(wrong))))
                    .isEqualTo(Refusal.CHECKSUM_MISMATCH);
            assertThat(root.resolve("7")).doesNotExist();
            s.store(7, V1, FilePath.parse("kept/model.bin"), bytes("x"), REPLACE);
            assertThat(refusalOf(() -> s.store(7, V1, FilePath.parse("kept/new/model.bin"), bytes("x"), REPLACE.expecting(wrong))))
                    .isEqualTo(Refusal.CHECKSUM_MISMATCH);
            assertThat(root.resolve("7/1/kept")).isDirectory();
            assertThat(root.resolve("7/1/kept/new")).doesNotExist();
        }

        @Test
        void removesTheUploadsOfAProcessKilledMidUploadButNotThoseOfLiveOnes() throws Exception {
            Path uploads = root.resolve(".mlregistry/uploads");
            Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), StoreHolder.class.getName(), root.toString())
                    .redirectErrorStream(true).start();
            try {
                String ready = new String(holder.getInputStream().readNBytes(6), StandardCharsets.US_ASCII);
                assertThat(ready).isEqualTo("ready\n");
                Path theirs = onlyFolderIn(uploads);
                Path inFlight = Files.writeString(theirs.resolve("upload-1.part"), "half an upload");
                FileSystemModelFileStore mine = new FileSystemModelFileStore(root);
                assertThat(inFlight).as("the other process is alive: its upload may still be running").exists();
                holder.destroyForcibly().waitFor(); // kill -9
                new FileSystemModelFileStore(root).close();
                assertThat(theirs).doesNotExist();
                mine.close();
            } finally {
                holder.destroyForcibly();
            }
            try (Stream<Path> left = Files.list(uploads)) {
                assertThat(left).isEmpty();
            }
        }

        private Path onlyFolderIn(Path dir) throws IOException {
            try (Stream<Path> entries = Files.list(dir)) {
                return entries.filter(Files::isDirectory).reduce((a, b) -> {
                    throw new AssertionError("more than one upload folder");
                }).orElseThrow();
            }
        }

        private java.util.List<Path> partFiles() throws IOException {
            try (Stream<Path> all = Files.walk(root.resolve(".mlregistry/uploads"))) {
                return all.filter(p -> p.getFileName().toString().endsWith(".part")).toList();
            }
        }

        @Test
        void removesUploadsOfTheOldLayoutOnceStale() throws IOException {
            Path uploads = Files.createDirectories(root.resolve(".mlregistry/uploads"));
            Path stale = Files.writeString(uploads.resolve("upload-1.part"), "old");
            Path fresh = Files.writeString(uploads.resolve("upload-2.part"), "new");
            Instant now = Instant.parse("2026-06-01T00:00:00Z");
            Files.setLastModifiedTime(stale, FileTime.from(now.minusSeconds(3 * 86400)));
            Files.setLastModifiedTime(fresh, FileTime.from(now.minusSeconds(60)));
            new FileSystemModelFileStore(root, Clock.fixed(now, ZoneOffset.UTC)).close();
            assertThat(stale).doesNotExist();
            assertThat(fresh).exists();
        }

        @Test
        void refusesARootThatIsNotADirectory() {
            assertThatThrownBy(() -> new FileSystemModelFileStore(temp.resolve("missing"))).isInstanceOf(IOException.class);
        }
    }

    @Test
    void findsAFileAgainAfterItWasReplacedInPlace() throws IOException {
        ModelFileStore s = store();
        Path dir = Files.createDirectories(root.resolve("7/1"));
        Files.writeString(dir.resolve("config.json"), "{}");
        assertThat(read(s.find(7, V1, FilePath.of("config.json")).orElseThrow())).isEqualTo("{}");
        Path replacement = Files.writeString(dir.resolve("config.json.new"), "{\"v\": 2}");
        Files.move(replacement, dir.resolve("config.json"), StandardCopyOption.REPLACE_EXISTING);
        assertThat(read(s.find(7, V1, FilePath.of("config.json")).orElseThrow())).isEqualTo("{\"v\": 2}");
        Files.delete(dir.resolve("config.json"));
        assertThat(s.find(7, V1, FilePath.of("config.json"))).isEmpty();
    }

    @Nested
    class Symlinks {
        private Path outside;

        @BeforeEach
        void secretOutsideTheRoot() throws IOException {
            outside = Files.createDirectories(temp.resolve("outside"));
            Files.writeString(outside.resolve("secret.txt"), "top secret");
        }

        @Test
        void refusesAFileSymlinkLeadingOutsideTheRoot() throws IOException {
            Path dir = Files.createDirectories(root.resolve("7/1"));
            Files.createSymbolicLink(dir.resolve("model.bin"), outside.resolve("secret.txt"));
            assertThat(store().find(7, V1, FilePath.of("model.bin"))).isEmpty();
        }

        @Test
        void refusesADirectorySymlinkLeadingOutsideTheRoot() throws IOException {
            Files.createDirectories(root.resolve("7"));
            Files.createSymbolicLink(root.resolve("7/1"), outside);
            assertThat(store().find(7, V1, FilePath.of("secret.txt"))).isEmpty();
        }

        @Test
        void refusesASymlinkIntoTheRegistrysOwnFiles() throws IOException {
            ModelFileStore s = store();
            Path internalFile = Files.writeString(root.resolve(".mlregistry/digests.part"), "partial");
            Path dir = Files.createDirectories(root.resolve("7/1"));
            Files.createSymbolicLink(dir.resolve("model.bin"), internalFile);
            assertThat(s.find(7, V1, FilePath.of("model.bin"))).isEmpty();
        }

        @Test
        void refusesADirectorySwappedForAnOutsideLinkAfterItsFileWasServed() throws IOException {
            ModelFileStore s = store();
            Path dir = Files.createDirectories(root.resolve("7/1"));
            Files.writeString(dir.resolve("secret.txt"), "public weights");
            assertThat(read(s.find(7, V1, FilePath.of("secret.txt")).orElseThrow())).isEqualTo("public weights");
            // the version directory moved away and a link to the outside put in its place, same file name there
            Files.move(dir, temp.resolve("moved"));
            Files.createSymbolicLink(dir, outside);
            assertThat(s.find(7, V1, FilePath.of("secret.txt"))).isEmpty();
        }

        @Test
        void deletesNothingOutsideTheRootAndPrunesNoDirectoryBehindALink() throws IOException {
            ModelFileStore s = store();
            Path dir = Files.createDirectories(root.resolve("7/1"));
            Files.createSymbolicLink(dir.resolve("model.bin"), outside.resolve("secret.txt"));
            Files.createSymbolicLink(dir.resolve("outside"), outside);
            assertThat(s.deleteFile(7, V1, FilePath.of("model.bin"))).as("a link leading out is no file here").isFalse();
            assertThat(s.deleteFile(7, V1, FilePath.parse("outside/secret.txt"))).isFalse();
            assertThat(outside.resolve("secret.txt")).hasContent("top secret");
            assertThat(dir.resolve("model.bin")).isSymbolicLink();

            // another version's directory, reached through a link inside the root: its file goes, its directory stays
            Path other = Files.createDirectories(root.resolve("7/2/shared/deeper"));
            Files.writeString(other.resolve("part.bin"), "x");
            Files.createSymbolicLink(dir.resolve("linked"), root.resolve("7/2/shared"));
            assertThat(s.deleteFile(7, V1, FilePath.parse("linked/deeper/part.bin"))).isTrue();
            assertThat(other).isDirectory();
            assertThat(other.resolve("part.bin")).doesNotExist();
            Files.createSymbolicLink(dir.resolve("to-a-directory"), root.resolve("7/2/shared"));
            assertThat(s.deleteFile(7, V1, FilePath.of("to-a-directory"))).as("a link to a directory is no file").isFalse();
            assertThat(dir.resolve("to-a-directory")).isSymbolicLink();
        }

        @Test
        void servesASymlinkThatStaysInsideTheRoot() throws IOException {
            Path dir = Files.createDirectories(root.resolve("7/1"));
            Files.writeString(dir.resolve("real.bin"), "shared weights");
            Files.createSymbolicLink(dir.resolve("alias.bin"), dir.resolve("real.bin"));
            assertThat(read(store().find(7, V1, FilePath.of("alias.bin")).orElseThrow())).isEqualTo("shared weights");
        }

        @Test
        void refusesToUploadThroughADirectorySymlinkLeadingOutside() throws IOException {
            Files.createDirectories(root.resolve("7"));
            Files.createSymbolicLink(root.resolve("7/1"), outside);
            ModelFileStore s = store();
            assertThat(refusalOf(() -> s.store(7, V1, FilePath.of("planted.bin"), bytes("x"), REPLACE)))
                    .isEqualTo(Refusal.PATH_CONFLICT);
            assertThat(outside.resolve("planted.bin")).doesNotExist();
            assertThat(refusalOf(() -> s.store(7, V1, FilePath.parse("deeper/planted.bin"), bytes("x"), REPLACE)))
                    .isEqualTo(Refusal.PATH_CONFLICT);
            assertThat(outside.resolve("deeper")).doesNotExist();
        }

        @Test
        void answersTheSameWhateverExistsBehindALinkLeadingOutside() throws IOException {
            Files.createDirectories(root.resolve("7/1"));
            Files.createSymbolicLink(root.resolve("7/1/etclink"), outside);
            ModelFileStore s = store();
            for (FileOverwrite mode : FileOverwrite.values()) {
                RegistryException existing = (RegistryException) catchThrowable(() -> s.store(7, V1,
                        FilePath.parse("etclink/secret.txt"), bytes("x"), WriteOptions.of(mode)));
                RegistryException missing = (RegistryException) catchThrowable(() -> s.store(7, V1,
                        FilePath.parse("etclink/nope.txt"), bytes("x"), WriteOptions.of(mode)));
                assertThat(existing.reason()).isEqualTo(missing.reason()).isEqualTo(Refusal.PATH_CONFLICT);
                assertThat(existing.detail()).isEqualTo(missing.detail());
            }
            assertThat(outside.resolve("secret.txt")).hasContent("top secret");
            assertThat(outside.resolve("nope.txt")).doesNotExist();
        }

        @Test
        void treatsALinkLoopAsAbsentForReadsAndAConflictForWrites() throws IOException {
            Path dir = Files.createDirectories(root.resolve("7/1"));
            Files.createSymbolicLink(dir.resolve("loop"), dir.resolve("loop"));
            ModelFileStore s = store();
            assertThat(s.find(7, V1, FilePath.of("loop"))).isEmpty();
            assertThat(s.find(7, V1, FilePath.parse("loop/model.bin"))).isEmpty();
            assertThat(refusalOf(() -> s.store(7, V1, FilePath.parse("loop/model.bin"), bytes("x"), REPLACE)))
                    .isEqualTo(Refusal.PATH_CONFLICT);
        }

        @Test
        void uploadsThroughADirectorySymlinkThatStaysInside() throws IOException {
            Path shared = Files.createDirectories(root.resolve("7/shared"));
            Files.createSymbolicLink(root.resolve("7/1"), shared);
            store().store(7, V1, FilePath.parse("sub/model.bin"), bytes("inside"), REPLACE);
            assertThat(shared.resolve("sub/model.bin")).hasContent("inside");
        }
    }

    @Nested
    class Limits {
        @Test
        void refusesANameTooLongForTheFileSystemAndCreatesNothing() throws IOException {
            Path deep = root;
            for (int i = 0; i < 18; i++) {
                deep = deep.resolve("d".repeat(200));
            }
            Path deepRoot = Files.createDirectories(deep);
            try (FileSystemModelFileStore s = new FileSystemModelFileStore(deepRoot)) {
                FilePath longPath = FilePath.parse(String.join("/", java.util.Collections.nCopies(4, "p".repeat(250))) + "/m.bin");
                assertThat(refusalOf(() -> s.store(7, V1, longPath, bytes("x"), REPLACE))).isEqualTo(Refusal.PATH_TOO_LONG);
                assertThat(s.find(7, V1, longPath)).isEmpty();
                assertThat(deepRoot.resolve("7")).doesNotExist();
            }
        }
    }
}
