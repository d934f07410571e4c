package org.mlregistry.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.model.FileOverwrite;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ModelVersionRef;
import org.mlregistry.core.spi.WriteOptions;

/**
 * A version's directory deleted while uploads keep publishing into it: the deletion never fails (it used to with
 * {@code DirectoryNotEmptyException}, one delete in twelve, after the catalog had already deleted the version), and
 * what it moved away is gone from the store's folders afterwards.
 */
class DeleteVersionRaceTest {

    @TempDir
    Path root;

    @Test
    void deletingAVersionNeverFailsWhileUploadsPublishIntoIt() throws Exception {
        FileSystemModelFileStore store = new FileSystemModelFileStore(root);
        ModelVersionRef version = ModelVersionRef.ofVersion(1);
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService uploaders = Executors.newFixedThreadPool(4);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            running.add(uploaders.submit(() -> {
                for (int i = 0; !stop.get(); i++) {
                    store.store(1, version, FilePath.parse("d" + thread + "/sub/f" + (i % 5) + ".bin"),
                            new ByteArrayInputStream(new byte[4096]), WriteOptions.of(FileOverwrite.REPLACE));
                }
                return null;
            }));
        }
        try {
            for (int i = 0; i < 300; i++) {
                store.deleteVersion(1, version);
            }
        } finally {
            stop.set(true);
            uploaders.shutdown();
        }
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                // an upload whose directory was moved away mid-way may fail; the deletions are what is tested here
            }
        }
        store.deleteVersion(1, version);
        assertThat(root.resolve("1/1")).doesNotExist();
        try (var left = Files.walk(root.resolve(FileSystemModelFileStore.INTERNAL_DIR).resolve("uploads"))) {
            assertThat(left.filter(p -> p.getFileName().toString().startsWith("deleted-")).toList()).isEmpty();
        }
        store.close();
    }
}
