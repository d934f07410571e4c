package org.mlregistry.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.model.StoredBlob;
import org.mlregistry.core.spi.BlobStore;

/**
 * What every {@link BlobStore} must do: memory, file system and S3 run it alike. Shipped in the core test-jar:
 * subclass it and return your store, empty, from {@link #blobs()}.
 */
public abstract class BlobStoreContract {

    /** The store under test, empty, new for each test. */
    protected abstract BlobStore blobs() throws IOException;

    protected static Sha256 sha(byte[] bytes) {
        return Sha256.hash(bytes);
    }

    protected static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    protected static Sha256 put(BlobStore s, byte[] content) throws IOException {
        try (BlobStore.StagedBlob staged = s.stage(new ByteArrayInputStream(content))) {
            staged.publish();
            return staged.sha256();
        }
    }

    protected static byte[] read(BlobStore.Blob blob) throws IOException {
        try (SeekableByteChannel ch = blob.open()) {
            ByteBuffer buf = ByteBuffer.allocate((int) blob.size() + 1);
            while (ch.read(buf) > 0) {
                // to the end
            }
            buf.flip();
            byte[] out = new byte[buf.remaining()];
            buf.get(out);
            return out;
        }
    }

    @Test
    void storesStagedBytesUnderTheirDigestOnlyOncePublished() throws IOException {
        BlobStore s = blobs();
        byte[] content = bytes("weights");
        try (BlobStore.StagedBlob staged = s.stage(new ByteArrayInputStream(content))) {
            assertThat(staged.sha256()).isEqualTo(sha(content));
            assertThat(staged.size()).isEqualTo(content.length);
            assertThat(s.find(staged.sha256())).as("staged is not stored").isEmpty();
            staged.publish();
        }
        BlobStore.Blob blob = s.find(sha(content)).orElseThrow();
        assertThat(blob.size()).isEqualTo(content.length);
        assertThat(read(blob)).isEqualTo(content);
    }

    @Test
    void leavesNothingOfAStagedBlobThatIsClosedUnpublished() throws IOException {
        BlobStore s = blobs();
        try (BlobStore.StagedBlob staged = s.stage(new ByteArrayInputStream(bytes("dropped")))) {
            assertThat(staged.size()).isEqualTo(7);
        }
        assertThat(s.list(null, 10)).isEmpty();
        assertThat(s.find(sha(bytes("dropped")))).isEmpty();
    }

    @Test
    void storesAnEmptyBlobAndALargeOneWhole() throws IOException {
        BlobStore s = blobs();
        byte[] large = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(large);
        assertThat(put(s, large)).isEqualTo(sha(large));
        assertThat(read(s.find(sha(large)).orElseThrow())).isEqualTo(large);
        assertThat(put(s, new byte[0])).isEqualTo(sha(new byte[0]));
        assertThat(s.find(sha(new byte[0])).orElseThrow().size()).isZero();
    }

    @Test
    void publishingContentThatIsStoredKeepsOneBlob() throws IOException {
        BlobStore s = blobs();
        Sha256 first = put(s, bytes("shared tokenizer"));
        Sha256 second = put(s, bytes("shared tokenizer"));
        assertThat(second).isEqualTo(first);
        assertThat(s.list(null, 10)).extracting(StoredBlob::sha256).containsExactly(first);
        assertThat(read(s.find(first).orElseThrow())).isEqualTo(bytes("shared tokenizer"));
    }

    @Test
    void publishesAgainAfterTheBlobWasDeleted() throws IOException {
        BlobStore s = blobs();
        try (BlobStore.StagedBlob staged = s.stage(new ByteArrayInputStream(bytes("again")))) {
            staged.publish();
            s.delete(staged.sha256());
            assertThat(s.find(staged.sha256())).isEmpty();
            staged.publish();
        }
        assertThat(read(s.find(sha(bytes("again"))).orElseThrow())).isEqualTo(bytes("again"));
    }

    @Test
    void keepsConcurrentPublicationsOfOneContentWhole() throws Exception {
        BlobStore s = blobs();
        byte[] content = new byte[256 * 1024];
        new Random(3).nextBytes(content);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Sha256>> all = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                Callable<Sha256> put = () -> put(s, content);
                all.add(pool.submit(put));
            }
            for (Future<Sha256> f : all) {
                assertThat(f.get()).isEqualTo(sha(content));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(s.list(null, 10)).hasSize(1);
        assertThat(read(s.find(sha(content)).orElseThrow())).isEqualTo(content);
    }

    @Test
    void storesNothingWhenTheContentFailsMidway() throws IOException {
        BlobStore s = blobs();
        InputStream failing = new InputStream() {
            private int left = 100_000;

            @Override
            public int read() throws IOException {
                if (left-- <= 0) {
                    throw new IOException("client went away");
                }
                return 'x';
            }
        };
        assertThatThrownBy(() -> s.stage(failing)).isInstanceOf(IOException.class).hasMessage("client went away");
        assertThat(s.list(null, 10)).isEmpty();
        assertThat(s.removeAbandonedStaging(0)).as("nothing was left to remove").isZero();
    }

    @Test
    void deletesAndQuarantinesSoThatNothingIsFound() throws IOException {
        BlobStore s = blobs();
        Sha256 a = put(s, bytes("a"));
        Sha256 b = put(s, bytes("b"));
        s.delete(a);
        s.delete(a);
        s.quarantine(b);
        assertThat(s.find(a)).isEmpty();
        assertThat(s.find(b)).isEmpty();
        assertThat(s.list(null, 10)).isEmpty();
    }

    @Test
    void listsBlobsByNameInPages() throws IOException {
        BlobStore s = blobs();
        List<Sha256> stored = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            stored.add(put(s, bytes("blob " + i)));
        }
        List<String> expected = stored.stream().map(Sha256::hex).sorted().toList();
        List<String> seen = new ArrayList<>();
        Sha256 after = null;
        for (List<StoredBlob> page = s.list(null, 3); !page.isEmpty(); page = s.list(after, 3)) {
            assertThat(page.size()).isLessThanOrEqualTo(3);
            page.forEach(b -> seen.add(b.sha256().hex()));
            after = page.get(page.size() - 1).sha256();
        }
        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(s.list(null, 10)).allSatisfy(b -> assertThat(b.size()).isEqualTo(6));
    }

    @Test
    void opensIndependentSeekableChannels() throws IOException {
        BlobStore s = blobs();
        Sha256 id = put(s, bytes("0123456789"));
        BlobStore.Blob blob = s.find(id).orElseThrow();
        try (SeekableByteChannel one = blob.open(); SeekableByteChannel two = blob.open()) {
            one.position(5);
            ByteBuffer a = ByteBuffer.allocate(3);
            one.read(a);
            ByteBuffer b = ByteBuffer.allocate(3);
            two.read(b);
            assertThat(new String(a.array(), StandardCharsets.UTF_8)).isEqualTo("567");
            assertThat(new String(b.array(), StandardCharsets.UTF_8)).isEqualTo("012");
        }
    }
}
