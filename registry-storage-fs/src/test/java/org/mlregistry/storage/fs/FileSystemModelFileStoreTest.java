package org.mlregistry.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ModelVersionRef;
import org.mlregistry.core.spi.ModelFile;
import org.mlregistry.core.spi.ModelFileStore;
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
            store().store(7, V1, FilePath.parse("a/model.bin"), new ByteArrayInputStream("up".getBytes()));
            assertThat(root.resolve("7/1/a/model.bin")).hasContent("up");
        }

        @Test
        void leavesNoTempFileBehind() throws IOException {
            ModelFileStore s = store();
            s.store(7, V1, FilePath.of("model.bin"), new ByteArrayInputStream("x".getBytes()));
            try (Stream<Path> uploads = Files.list(root.resolve(".mlregistry/uploads"))) {
                assertThat(uploads).isEmpty();
            }
        }

        @Test
        void removesStaleUploadsAtStartButKeepsFreshOnes() throws IOException {
            Path uploads = Files.createDirectories(root.resolve(".mlregistry/uploads"));
            Path stale = Files.writeString(uploads.resolve("upload-1.part"), "old");
            Path fresh = Files.writeString(uploads.resolve("upload-2.part"), "new");
            Instant now = Instant.parse("2026-06-01T00:00:00Z");
            Files.setLastModifiedTime(stale, FileTime.from(now.minusSeconds(3 * 86400)));
            Files.setLastModifiedTime(fresh, FileTime.from(now.minusSeconds(60)));
            new FileSystemModelFileStore(root, Clock.fixed(now, ZoneOffset.UTC));
            assertThat(stale).doesNotExist();
            assertThat(fresh).exists();
        }

        @Test
        void refusesARootThatIsNotADirectory() {
            assertThatThrownBy(() -> new FileSystemModelFileStore(temp.resolve("missing"))).isInstanceOf(IOException.class);
        }
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
            Path internalFile = Files.writeString(root.resolve(".mlregistry/uploads/upload-9.part"), "partial");
            Path dir = Files.createDirectories(root.resolve("7/1"));
            Files.createSymbolicLink(dir.resolve("model.bin"), internalFile);
            assertThat(s.find(7, V1, FilePath.of("model.bin"))).isEmpty();
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
            assertThatThrownBy(() -> s.store(7, V1, FilePath.of("planted.bin"), new ByteArrayInputStream("x".getBytes())))
                    .isInstanceOf(IOException.class);
            assertThat(outside.resolve("planted.bin")).doesNotExist();
            assertThatThrownBy(() -> s.store(7, V1, FilePath.parse("deeper/planted.bin"), new ByteArrayInputStream("x".getBytes())))
                    .isInstanceOf(IOException.class);
            assertThat(outside.resolve("deeper")).doesNotExist();
        }

        @Test
        void uploadsThroughADirectorySymlinkThatStaysInside() throws IOException {
            Path shared = Files.createDirectories(root.resolve("7/shared"));
            Files.createSymbolicLink(root.resolve("7/1"), shared);
            store().store(7, V1, FilePath.parse("sub/model.bin"), new ByteArrayInputStream("inside".getBytes()));
            assertThat(shared.resolve("sub/model.bin")).hasContent("inside");
        }
    }
}
