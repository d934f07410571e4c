package org.mlregistry.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlregistry.core.Refusal;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.model.FileOverwrite;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ModelVersionRef;
import org.mlregistry.core.spi.WriteOptions;

/** A store over a file system that fills up: a clear refusal, nothing left behind, and it keeps serving. */
class DiskFullTest {

    private static final ModelVersionRef V1 = ModelVersionRef.ofVersion(1);
    private static final WriteOptions REPLACE = WriteOptions.of(FileOverwrite.REPLACE);

    private FileSystem fs;
    private Path root;

    @BeforeEach
    void smallDisk() throws IOException {
        fs = Jimfs.newFileSystem(Configuration.unix().toBuilder().setMaxSize(4L << 20).setBlockSize(8192).build());
        root = Files.createDirectories(fs.getPath("/srv/models"));
    }

    @AfterEach
    void close() throws IOException {
        fs.close();
    }

    @Test
    void refusesAnUploadThatDoesNotFitWith507AndKeepsServing() throws IOException {
        try (FileSystemModelFileStore store = new FileSystemModelFileStore(root)) {
            store.store(7, V1, FilePath.of("small.bin"), new ByteArrayInputStream(new byte[1000]), REPLACE);
            Throwable full = catchThrowable(() -> store.store(7, V1, FilePath.parse("big/model.bin"),
                    new ByteArrayInputStream(new byte[8 << 20]), REPLACE));
            assertThat(full).isInstanceOfSatisfying(RegistryException.class,
                    e -> assertThat(e.reason()).isEqualTo(Refusal.INSUFFICIENT_STORAGE));
            assertThat(store.find(7, V1, FilePath.parse("big/model.bin"))).isEmpty();
            assertThat(root.resolve("7/1/big")).doesNotExist();
            try (Stream<Path> all = Files.walk(root.resolve(".mlregistry/uploads"))) {
                assertThat(all.filter(p -> p.toString().endsWith(".part"))).isEmpty();
            }
            assertThat(store.find(7, V1, FilePath.of("small.bin"))).isPresent();
            store.store(7, V1, FilePath.of("again.bin"), new ByteArrayInputStream(new byte[1000]), REPLACE);
            assertThat(store.find(7, V1, FilePath.of("again.bin"))).isPresent();
        }
    }
}
