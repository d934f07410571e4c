package org.mlregistry.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.memory.ReadOnlyByteArrayChannel;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ModelVersionRef;

/** Small files are answered from memory for exactly the file version they were read at, never after a change. */
class SmallFileCacheTest {

    private static final ModelVersionRef V1 = ModelVersionRef.ofVersion(1);

    @TempDir
    Path root;

    private static String read(SeekableByteChannel ch) throws Exception {
        try (ch) {
            ByteBuffer b = ByteBuffer.allocate((int) ch.size());
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // to the end
            }
            return new String(b.array(), StandardCharsets.UTF_8);
        }
    }

    private String open(FileSystemModelFileStore store, String name) throws Exception {
        return read(store.find(7, V1, FilePath.of(name)).orElseThrow().open());
    }

    @Test
    void servesTheBytesOfTheVersionFoundAndRereadsAfterAnyChange() throws Exception {
        Path file = Files.createDirectories(root.resolve("7/1")).resolve("config.json");
        Files.writeString(file, "{\"v\":1}");
        try (FileSystemModelFileStore store = new FileSystemModelFileStore(root)) {
            assertThat(open(store, "config.json")).isEqualTo("{\"v\":1}");
            assertThat(store.find(7, V1, FilePath.of("config.json")).orElseThrow().open())
                    .as("the second open is answered from memory").isInstanceOf(ReadOnlyByteArrayChannel.class);

            Files.writeString(file, "{\"v\":2}"); // in place, same size, a later time
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
            assertThat(open(store, "config.json")).isEqualTo("{\"v\":2}");

            Path temp = Files.writeString(root.resolve("7/1/.next"), "{\"v\":3}");
            Files.setLastModifiedTime(temp, Files.getLastModifiedTime(file)); // same size and time: only the inode differs
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            assertThat(open(store, "config.json")).isEqualTo("{\"v\":3}");
        }
    }

    @Test
    void streamsLargerFilesFromDisk() throws Exception {
        Path file = Files.createDirectories(root.resolve("7/1")).resolve("weights.bin");
        Files.write(file, new byte[SmallFileCache.MAX_FILE + 1]);
        try (FileSystemModelFileStore store = new FileSystemModelFileStore(root)) {
            assertThat(store.find(7, V1, FilePath.of("weights.bin")).orElseThrow().open())
                    .isInstanceOf(java.nio.channels.FileChannel.class);
        }
    }
}
