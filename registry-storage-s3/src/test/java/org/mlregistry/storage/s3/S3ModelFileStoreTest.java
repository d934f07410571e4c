package org.mlregistry.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.time.Duration;
import java.util.Random;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
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
import software.amazon.awssdk.services.s3.S3Client;

/** The store contract, and what is particular to S3, against a real S3 API server in-process (s3proxy). */
class S3ModelFileStoreTest extends ModelFileStoreContract {

    private static final int PART = 5 * 1024 * 1024;
    private static final ModelVersionRef V1 = ModelVersionRef.ofVersion(1);

    @RegisterExtension
    final S3ProxyExtension proxy = S3Buckets.server();
    S3Client client;

    @Override
    protected ModelFileStore store() {
        client = S3Buckets.client(proxy);
        client.createBucket(b -> b.bucket("models"));
        return S3ModelFileStore.builder(client, "models").prefix("registry").partSize(PART).build();
    }

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] bytes(ModelFile f) throws IOException {
        try (SeekableByteChannel ch = f.open()) {
            ByteBuffer all = ByteBuffer.allocate((int) f.metadata().size());
            while (all.hasRemaining() && ch.read(all) >= 0) {
                // to the end
            }
            return all.array();
        }
    }

    @Nested
    class Multipart {
        @Test
        void storesAFileOfSeveralPartsWithItsDigestAndNothingElse() throws IOException {
            ModelFileStore s = store();
            byte[] big = random(2 * PART + 12345, 1);
            s.store(7, V1, FilePath.parse("w/big.bin"), new ByteArrayInputStream(big),
                    WriteOptions.of(FileOverwrite.REPLACE).expecting(Sha256.hash(big)));
            ModelFile f = s.find(7, V1, FilePath.parse("w/big.bin")).orElseThrow();
            assertThat(f.knownSha256()).contains(Sha256.hash(big));
            assertThat(bytes(f)).isEqualTo(big);
            assertThat(client.listObjectsV2(r -> r.bucket("models")).contents()).extracting(o -> o.key())
                    .containsExactly("registry/7/1/w/big.bin");
            assertThat(client.listMultipartUploads(r -> r.bucket("models")).uploads()).isEmpty();
        }

        @Test
        void storesNothingAndLeavesNoUploadWhenTheDigestDiffers() throws IOException {
            ModelFileStore s = store();
            byte[] big = random(PART + 1, 2);
            Throwable t = catchThrowable(() -> s.store(7, V1, FilePath.of("big.bin"), new ByteArrayInputStream(big),
                    WriteOptions.of(FileOverwrite.REPLACE).expecting(Sha256.hash(new byte[0]))));
            assertThat(t).isInstanceOfSatisfying(RegistryException.class,
                    e -> assertThat(e.reason()).isEqualTo(Refusal.CHECKSUM_MISMATCH));
            assertThat(client.listObjectsV2(r -> r.bucket("models")).contents()).isEmpty();
            assertThat(client.listMultipartUploads(r -> r.bucket("models")).uploads()).isEmpty();
        }

        @Test
        void abortsTheUploadWhenTheClientGoesAwayMidway() throws IOException {
            ModelFileStore s = store();
            InputStream failing = new InputStream() {
                private int sent;

                @Override
                public int read() throws IOException {
                    if (sent++ < PART + 100) {
                        return 1;
                    }
                    throw new IOException("client went away");
                }
            };
            assertThat(catchThrowable(() -> s.store(7, V1, FilePath.of("cut.bin"), failing, WriteOptions.of(FileOverwrite.REPLACE))))
                    .hasMessage("client went away");
            assertThat(client.listObjectsV2(r -> r.bucket("models")).contents()).isEmpty();
            assertThat(client.listMultipartUploads(r -> r.bucket("models")).uploads()).isEmpty();
        }
    }

    @Test
    void offersAPresignedUrlThatServesTheBytesWhenRedirectsAreOn() throws Exception {
        S3Client c = S3Buckets.client(proxy);
        c.createBucket(b -> b.bucket("signed"));
        S3ModelFileStore s = S3ModelFileStore.builder(c, "signed").redirect(S3Buckets.presigner(proxy), Duration.ofMinutes(1)).build();
        s.store(7, V1, FilePath.of("model.bin"), new ByteArrayInputStream(new byte[] {4, 2}), WriteOptions.of(FileOverwrite.REPLACE));
        URI url = s.find(7, V1, FilePath.of("model.bin")).orElseThrow().redirect().orElseThrow();
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).containsExactly(4, 2);
        c.close();
    }

    @Test
    void isReachableWhileTheBucketAnswersAndNotOnceItIsGone() throws Exception {
        S3Client c = S3Buckets.client(proxy);
        c.createBucket(b -> b.bucket("health"));
        S3ModelFileStore s = S3ModelFileStore.builder(c, "health").build();
        s.checkReachable();

        c.deleteBucket(b -> b.bucket("health"));

        assertThatThrownBy(s::checkReachable).isInstanceOfAny(IOException.class, RegistryException.class);
        c.close();
    }
}
