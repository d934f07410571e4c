package org.mlregistry.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.Random;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.spi.BlobStore;
import org.mlregistry.core.testing.BlobStoreContract;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** The blob contract against a real S3 API server in-process (s3proxy), with parts small enough to go multipart. */
class S3BlobStoreTest extends BlobStoreContract {

    private static final int PART = 5 * 1024 * 1024;

    @RegisterExtension
    final S3ProxyExtension proxy = S3Buckets.server();
    S3Client client;
    S3Presigner presigner;

    @Override
    protected BlobStore blobs() {
        client = S3Buckets.client(proxy);
        presigner = S3Buckets.presigner(proxy);
        client.createBucket(b -> b.bucket("models"));
        return S3ModelFileStore.builder(client, "models").prefix("registry").partSize(PART)
                .redirect(presigner, java.time.Duration.ofMinutes(1)).build().blobs();
    }

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
            presigner.close();
        }
    }

    @Test
    void storesALargeBlobThroughAMultipartUploadUnderItsKeyAndNothingElse() throws IOException {
        BlobStore s = blobs();
        byte[] big = new byte[2 * PART + 4321];
        new Random(5).nextBytes(big);
        Sha256 id = put(s, big);
        assertThat(read(s.find(id).orElseThrow())).isEqualTo(big);
        String hex = id.hex();
        assertThat(client.listObjectsV2(r -> r.bucket("models")).contents()).extracting(o -> o.key())
                .containsExactly("registry/blobs/sha256/" + hex.substring(0, 2) + "/" + hex.substring(2, 4) + "/" + hex);
    }

    @Test
    void signsARedirectThatNamesTheFile() throws IOException {
        BlobStore s = blobs();
        Sha256 id = put(s, bytes("weights"));
        URI url = s.find(id).orElseThrow().redirect("model.safetensors").orElseThrow();
        HttpURLConnection c = (HttpURLConnection) url.toURL().openConnection();
        assertThat(c.getResponseCode()).isEqualTo(200);
        assertThat(c.getHeaderField("Content-Disposition")).contains("filename=\"model.safetensors\"");
        assertThat(c.getInputStream().readAllBytes()).isEqualTo(bytes("weights"));
    }
}
