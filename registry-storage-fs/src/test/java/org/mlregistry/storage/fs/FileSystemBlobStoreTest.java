package org.mlregistry.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.spi.BlobStore;
import org.mlregistry.core.testing.BlobStoreContract;

/** The blob contract on a real file system, and the layout on disk that backups and operators rely on. */
class FileSystemBlobStoreTest extends BlobStoreContract {

    @TempDir
    Path root;
    private FileSystemModelFileStore store;

    @Override
    protected BlobStore blobs() throws IOException {
        store = new FileSystemModelFileStore(root);
        return store.blobs();
    }

    @AfterEach
    void close() throws IOException {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void laysBlobsOutByTheirDigestAndLeavesNoTempFile() throws IOException {
        BlobStore s = blobs();
        Sha256 id = put(s, bytes("config"));
        String hex = id.hex();
        Path blob = root.resolve("blobs/sha256").resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex);
        assertThat(blob).hasContent("config");
        try (var files = Files.walk(root.resolve(FileSystemModelFileStore.INTERNAL_DIR))) {
            assertThat(files.filter(p -> p.toString().endsWith(".part"))).isEmpty();
        }
    }

    @Test
    void quarantinesABlobWhereAnOperatorCanLookAtIt() throws IOException {
        BlobStore s = blobs();
        Sha256 id = put(s, bytes("rotten"));
        s.quarantine(id);
        try (var moved = Files.list(root.resolve("blobs/quarantine"))) {
            assertThat(moved).singleElement().satisfies(p -> assertThat(p.getFileName().toString()).startsWith(id.hex()));
        }
    }

    @Test
    void stagesAFileOfTheRootByLinkingItWithoutCopying() throws IOException {
        FileSystemBlobStore s = (FileSystemBlobStore) blobs();
        Path old = Files.writeString(root.resolve("old.bin"), "adopted");
        Sha256 sha = sha(bytes("adopted"));
        try (BlobStore.StagedBlob staged = s.stageLinked(old, sha, FileStamp.of(Files.readAttributes(old,
                java.nio.file.attribute.BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS)))) {
            assertThat(staged.sha256()).isEqualTo(sha);
            staged.publish();
        }
        assertThat(Files.isSameFile(old, s.pathOf(sha))).as("one inode, no copy").isTrue();
        assertThat(s.find(sha)).isPresent();
    }
}
