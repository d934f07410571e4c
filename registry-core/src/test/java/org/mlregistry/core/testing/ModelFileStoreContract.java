package org.mlregistry.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.mlregistry.core.Refusal;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.model.DirectoryPath;
import org.mlregistry.core.model.FileEntry;
import org.mlregistry.core.model.FileMetadata;
import org.mlregistry.core.model.FileOverwrite;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ModelVersionRef;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.spi.ModelFile;
import org.mlregistry.core.spi.ModelFileStore;
import org.mlregistry.core.spi.WriteOptions;

/**
 * What every {@link ModelFileStore} must do. Shipped in the core test-jar: subclass it, return your
 * store from {@link #store()}, and run it against your own storage.
 */
public abstract class ModelFileStoreContract {

    private static final ModelVersionRef V1 = ModelVersionRef.ofVersion(1);

    /** The store under test, empty, new for each test. */
    protected abstract ModelFileStore store() throws IOException;

    private static final WriteOptions REPLACE = WriteOptions.of(FileOverwrite.REPLACE);
    private static final WriteOptions REFUSE = WriteOptions.of(FileOverwrite.REFUSE);

    private static FileMetadata put(ModelFileStore s, long project, ModelVersionRef v, String path, String content)
            throws IOException {
        return put(s, project, v, path, content, REPLACE);
    }

    private static FileMetadata put(ModelFileStore s, long project, ModelVersionRef v, String path, String content,
                                    WriteOptions options) throws IOException {
        return s.store(project, v, FilePath.parse(path), new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)),
                options);
    }

    private static Refusal refusalOf(ThrowingCallable call) {
        Throwable t = catchThrowable(call);
        assertThat(t).isInstanceOf(RegistryException.class);
        return ((RegistryException) t).reason();
    }

    protected static String read(ModelFile file) throws IOException {
        try (SeekableByteChannel ch = file.open()) {
            ByteBuffer buf = ByteBuffer.allocate((int) file.metadata().size() + 1);
            while (ch.read(buf) > 0) {
                // keep reading until end of stream
            }
            buf.flip();
            return StandardCharsets.UTF_8.decode(buf).toString();
        }
    }

    @Test
    void findsAStoredFileWithItsBytesAndSize() throws IOException {
        ModelFileStore s = store();
        FileMetadata stored = put(s, 7, V1, "model.bin", "hello weights");
        ModelFile found = s.find(7, V1, FilePath.of("model.bin")).orElseThrow();
        assertThat(read(found)).isEqualTo("hello weights");
        assertThat(found.metadata().size()).isEqualTo(13).isEqualTo(stored.size());
    }

    @Test
    void knowsTheDigestOfAnUploadWithoutReadingTheFile() throws IOException {
        ModelFileStore s = store();
        put(s, 7, V1, "model.bin", "hello weights");
        ModelFile found = s.find(7, V1, FilePath.of("model.bin")).orElseThrow();
        Sha256 expected = Sha256.hash("hello weights".getBytes(StandardCharsets.UTF_8));
        assertThat(found.knownSha256()).contains(expected);
        assertThat(found.sha256()).isEqualTo(expected);
        assertThat(found.redirect()).as("a store that streams bytes signs no URL").isEmpty();
    }

    @Test
    void isEmptyForAMissingFileVersionOrProject() throws IOException {
        ModelFileStore s = store();
        put(s, 7, V1, "model.bin", "x");
        assertThat(s.find(7, V1, FilePath.of("other.bin"))).isEmpty();
        assertThat(s.find(7, ModelVersionRef.ofVersion(2), FilePath.of("model.bin"))).isEmpty();
        assertThat(s.find(8, V1, FilePath.of("model.bin"))).isEmpty();
    }

    @Test
    void keepsCandidatesApartFromVersionsWithTheSameNumber() throws IOException {
        ModelFileStore s = store();
        put(s, 7, V1, "model.bin", "version");
        put(s, 7, ModelVersionRef.ofCandidate(1), "model.bin", "candidate");
        assertThat(read(s.find(7, V1, FilePath.of("model.bin")).orElseThrow())).isEqualTo("version");
        assertThat(read(s.find(7, ModelVersionRef.ofCandidate(1), FilePath.of("model.bin")).orElseThrow()))
                .isEqualTo("candidate");
    }

    @Test
    void keepsNestedPathsApart() throws IOException {
        ModelFileStore s = store();
        put(s, 7, V1, "a/b/model.bin", "nested");
        put(s, 7, V1, "model.bin", "top");
        assertThat(read(s.find(7, V1, FilePath.parse("a/b/model.bin")).orElseThrow())).isEqualTo("nested");
        assertThat(read(s.find(7, V1, FilePath.of("model.bin")).orElseThrow())).isEqualTo("top");
        assertThat(s.find(7, V1, FilePath.parse("a/model.bin"))).isEmpty();
    }

    @Test
    void isEmptyForAPathThroughAFile() throws IOException {
        ModelFileStore s = store();
        put(s, 7, V1, "model.bin", "x");
        assertThat(s.find(7, V1, FilePath.parse("model.bin/inner.bin"))).isEmpty();
    }

    @Test
    void doesNotReportADirectoryAsAFile() throws IOException {
        ModelFileStore s = store();
        put(s, 7, V1, "dir/model.bin", "x");
        assertThat(s.find(7, V1, FilePath.of("dir"))).isEmpty();
    }

    @Test
    void replacesAnExistingFileWithANewDigest() throws IOException {
        ModelFileStore s = store();
        put(s, 7, V1, "model.bin", "first");
        Sha256 before = s.find(7, V1, FilePath.of("model.bin")).orElseThrow().sha256();
        put(s, 7, V1, "model.bin", "second, longer");
        ModelFile after = s.find(7, V1, FilePath.of("model.bin")).orElseThrow();
        assertThat(read(after)).isEqualTo("second, longer");
        assertThat(after.knownSha256().orElseThrow()).isEqualTo(Sha256.hash("second, longer".getBytes(StandardCharsets.UTF_8)))
                .isNotEqualTo(before);
    }

    @Test
    void refusesToOverwriteWhenToldToAndKeepsTheFile() throws IOException {
        ModelFileStore s = store();
        put(s, 7, V1, "model.bin", "first");
        assertThat(refusalOf(() -> put(s, 7, V1, "model.bin", "second", REFUSE))).isEqualTo(Refusal.FILE_EXISTS);
        assertThat(read(s.find(7, V1, FilePath.of("model.bin")).orElseThrow())).isEqualTo("first");
    }

    @Test
    void letsAReaderThatOpenedTheOldFileReadItToItsEnd() throws IOException {
        ModelFileStore s = store();
        put(s, 7, V1, "model.bin", "old content");
        ModelFile old = s.find(7, V1, FilePath.of("model.bin")).orElseThrow();
        try (SeekableByteChannel reading = old.open()) {
            put(s, 7, V1, "model.bin", "new content!");
            ByteBuffer buf = ByteBuffer.allocate(64);
            while (reading.read(buf) > 0) {
                // to the end
            }
            assertThat(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8)).isEqualTo("old content");
        }
        assertThat(read(s.find(7, V1, FilePath.of("model.bin")).orElseThrow())).isEqualTo("new content!");
    }

    @Test
    void storesOnlyContentWithTheDeclaredDigest() throws IOException {
        ModelFileStore s = store();
        Sha256 right = Sha256.hash("the weights".getBytes(StandardCharsets.UTF_8));
        Sha256 other = Sha256.hash("other weights".getBytes(StandardCharsets.UTF_8));
        put(s, 7, V1, "kept.bin", "kept");
        assertThat(refusalOf(() -> put(s, 7, V1, "kept.bin", "the weights", REPLACE.expecting(other))))
                .isEqualTo(Refusal.CHECKSUM_MISMATCH);
        assertThat(refusalOf(() -> put(s, 7, V1, "new/model.bin", "the weights", REPLACE.expecting(other))))
                .isEqualTo(Refusal.CHECKSUM_MISMATCH);
        assertThat(read(s.find(7, V1, FilePath.of("kept.bin")).orElseThrow())).isEqualTo("kept");
        assertThat(s.find(7, V1, FilePath.parse("new/model.bin"))).isEmpty();
        put(s, 7, V1, "new/model.bin", "the weights", REPLACE.expecting(right));
        assertThat(s.find(7, V1, FilePath.parse("new/model.bin")).orElseThrow().knownSha256()).contains(right);
    }

    @Test
    void refusesAPathThroughAFileOrOntoADirectoryAsAConflict() throws IOException {
        ModelFileStore s = store();
        put(s, 7, V1, "solid.bin", "file");
        put(s, 7, V1, "dir/inner.bin", "inner");
        assertThat(refusalOf(() -> put(s, 7, V1, "solid.bin/x.bin", "x"))).isEqualTo(Refusal.PATH_CONFLICT);
        assertThat(refusalOf(() -> put(s, 7, V1, "dir", "x"))).isEqualTo(Refusal.PATH_CONFLICT);
        assertThat(read(s.find(7, V1, FilePath.of("solid.bin")).orElseThrow())).isEqualTo("file");
        assertThat(s.find(7, V1, FilePath.parse("solid.bin/x.bin"))).isEmpty();
        assertThat(read(s.find(7, V1, FilePath.parse("dir/inner.bin")).orElseThrow())).isEqualTo("inner");
    }

    @Test
    void storesNothingWhenTheUploadFailsMidway() throws IOException {
        ModelFileStore s = store();
        put(s, 7, V1, "model.bin", "previous");
        InputStream failing = new InputStream() {
            private int sent;

            @Override
            public int read() {
                if (sent++ < 1000) {
                    return 'x';
                }
                throw new IllegalStateException("client went away");
            }
        };
        assertThatThrownBy(() -> s.store(7, V1, FilePath.of("model.bin"), failing, REPLACE))
                .isInstanceOf(IllegalStateException.class);
        assertThat(read(s.find(7, V1, FilePath.of("model.bin")).orElseThrow())).isEqualTo("previous");
        put(s, 7, V1, "model.bin", "retry works");
        assertThat(read(s.find(7, V1, FilePath.of("model.bin")).orElseThrow())).isEqualTo("retry works");
    }

    @Test
    void storesExactlyOneOfConcurrentUploadsWhenRefusing() throws Exception {
        assertThat(race(REFUSE)).isEqualTo(1);
    }

    @Test
    void storesTheWholeOfOneOfConcurrentUploadsWhenReplacing() throws Exception {
        assertThat(race(REPLACE)).isEqualTo(8);
    }

    /** Eight writers store one path at once; returns how many succeeded, after checking the file is one whole upload. */
    private int race(WriteOptions options) throws Exception {
        ModelFileStore s = store();
        int writers = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String content = ("writer-" + i + "-").repeat(10_000);
                Callable<Boolean> task = () -> {
                    start.await();
                    try {
                        put(s, 7, V1, "model.bin", content, options);
                        return true;
                    } catch (RegistryException e) {
                        assertThat(e.reason()).isEqualTo(Refusal.FILE_EXISTS);
                        return false;
                    }
                };
                results.add(pool.submit(task));
            }
            start.countDown();
            int stored = 0;
            for (Future<Boolean> f : results) {
                stored += f.get() ? 1 : 0;
            }
            ModelFile file = s.find(7, V1, FilePath.of("model.bin")).orElseThrow();
            String content = read(file);
            // exactly one writer's bytes, never a mix, and the digest of exactly those bytes
            assertThat(content).matches("(writer-\\d-)\\1{9999}");
            assertThat(file.sha256()).isEqualTo(Sha256.hash(content.getBytes(StandardCharsets.UTF_8)));
            return stored;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void listsADirectoryWithSizesAndSubdirectoriesSortedByName() throws IOException {
        ModelFileStore s = store();
        put(s, 7, V1, "b.bin", "12345");
        put(s, 7, V1, "a b+c.txt", "1");
        put(s, 7, V1, "weights/part-1.bin", "xy");
        put(s, 7, V1, "weights/deeper/part-2.bin", "z");
        assertThat(s.list(7, V1, DirectoryPath.TOP)).containsExactly(FileEntry.file("a b+c.txt", 1), FileEntry.file("b.bin", 5),
                FileEntry.directory("weights"));
        assertThat(s.list(7, V1, DirectoryPath.parse("weights"))).containsExactly(FileEntry.directory("deeper"),
                FileEntry.file("part-1.bin", 2));
        assertThat(s.list(7, V1, DirectoryPath.parse("missing"))).isEmpty();
        assertThat(s.list(7, ModelVersionRef.ofVersion(2), DirectoryPath.TOP)).isEmpty();
    }

    @Test
    void knowsWhichVersionsHaveFilesAndDeletesAVersionWhole() throws IOException {
        ModelFileStore s = store();
        ModelVersionRef v2 = ModelVersionRef.ofVersion(2);
        assertThat(s.hasVersion(7, V1)).isFalse();
        put(s, 7, V1, "weights/model.bin", "one");
        put(s, 7, v2, "model.bin", "two");
        assertThat(s.hasVersion(7, V1)).isTrue();
        s.deleteVersion(7, V1);
        assertThat(s.hasVersion(7, V1)).isFalse();
        assertThat(s.find(7, V1, FilePath.parse("weights/model.bin"))).isEmpty();
        assertThat(s.list(7, V1, DirectoryPath.TOP)).isEmpty();
        assertThat(read(s.find(7, v2, FilePath.of("model.bin")).orElseThrow())).isEqualTo("two");
        s.deleteVersion(7, ModelVersionRef.ofVersion(99)); // nothing there: nothing happens
        put(s, 7, V1, "weights/model.bin", "again");
        assertThat(read(s.find(7, V1, FilePath.parse("weights/model.bin")).orElseThrow())).isEqualTo("again");
    }

    /** One file goes; its siblings stay; a directory it leaves empty is listed no more; a missing one is reported. */
    @Test
    void deletesOneFileAndTheDirectoriesItLeavesEmpty() throws IOException {
        ModelFileStore s = store();
        put(s, 7, V1, "config.json", "{}");
        put(s, 7, V1, "weights/deeper/part-1.bin", "one");
        put(s, 7, V1, "weights/part-2.bin", "two");
        put(s, 7, ModelVersionRef.ofVersion(2), "weights/deeper/part-1.bin", "other version");
        ModelFile open = s.find(7, V1, FilePath.parse("weights/deeper/part-1.bin")).orElseThrow();

        assertThat(s.deleteFile(7, V1, FilePath.parse("weights/deeper/part-1.bin"))).isTrue();
        assertThat(s.find(7, V1, FilePath.parse("weights/deeper/part-1.bin"))).isEmpty();
        assertThat(s.list(7, V1, DirectoryPath.parse("weights"))).containsExactly(FileEntry.file("part-2.bin", 3));
        assertThat(s.deleteFile(7, V1, FilePath.parse("weights/deeper/part-1.bin"))).as("gone already").isFalse();
        assertThat(s.deleteFile(7, V1, FilePath.parse("weights/deeper"))).as("a directory is no file").isFalse();
        assertThat(s.deleteFile(7, V1, FilePath.parse("nothing/here.bin"))).isFalse();
        assertThat(s.deleteFile(7, ModelVersionRef.ofVersion(99), FilePath.of("config.json"))).isFalse();

        assertThat(s.deleteFile(7, V1, FilePath.parse("weights/part-2.bin"))).isTrue();
        assertThat(s.list(7, V1, DirectoryPath.TOP)).containsExactly(FileEntry.file("config.json", 2));
        assertThat(read(s.find(7, ModelVersionRef.ofVersion(2), FilePath.parse("weights/deeper/part-1.bin")).orElseThrow()))
                .isEqualTo("other version");
        put(s, 7, V1, "weights/deeper/part-1.bin", "again");
        assertThat(read(s.find(7, V1, FilePath.parse("weights/deeper/part-1.bin")).orElseThrow())).isEqualTo("again");
        try {
            assertThat(read(open)).as("a file found before its deletion still reads, or is reported gone").isEqualTo("one");
        } catch (NoSuchFileException goneForAStoreThatCannotKeepIt) {
            // object storage: the object is gone; the registry looks again and answers 404
        }
    }

    @Test
    void opensIndependentSeekableChannels() throws IOException {
        ModelFileStore s = store();
        put(s, 7, V1, "model.bin", "0123456789");
        ModelFile f = s.find(7, V1, FilePath.of("model.bin")).orElseThrow();
        try (SeekableByteChannel a = f.open(); SeekableByteChannel b = f.open()) {
            a.position(6);
            ByteBuffer bufA = ByteBuffer.allocate(4);
            ByteBuffer bufB = ByteBuffer.allocate(2);
            a.read(bufA);
            b.read(bufB);
            assertThat(new String(bufA.array(), StandardCharsets.US_ASCII)).isEqualTo("6789");
            assertThat(new String(bufB.array(), StandardCharsets.US_ASCII)).isEqualTo("01");
            assertThat(a.size()).isEqualTo(10);
        }
    }
}
