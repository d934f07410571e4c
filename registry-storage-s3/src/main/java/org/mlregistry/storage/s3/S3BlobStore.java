package org.mlregistry.storage.s3;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.model.FileOverwrite;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.model.StoredBlob;
import org.mlregistry.core.spi.BlobStore;
import org.mlregistry.core.spi.ModelFile;
import org.mlregistry.core.util.ContentDisposition;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Blobs in S3-compatible object storage: {@code <prefix>blobs/sha256/ab/cd/<hex>} in the store's bucket. A small
 * upload is staged in memory (one part) and published with one {@code PutObject}; a large one as a multipart upload to
 * a temporary key, published by a server-side copy. Publication is conditional ({@code If-None-Match: *}): a blob that
 * exists is never rewritten. A redirect signs the blob's key with the file's name as {@code Content-Disposition}.
 *
 * <p>Threading: safe for concurrent use, also by several nodes sharing one bucket.
 */
public final class S3BlobStore implements BlobStore {

    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private final S3ModelFileStore store;
    private final String blobsPrefix;
    private final String quarantinePrefix;

    S3BlobStore(S3ModelFileStore store) {
        this.store = store;
        this.blobsPrefix = store.prefix() + "blobs/sha256/";
        this.quarantinePrefix = store.prefix() + "blobs/quarantine/";
    }

    /** The key of the blob named {@code sha256}. */
    String keyOf(Sha256 sha256) {
        String hex = sha256.hex();
        return blobsPrefix + hex.substring(0, 2) + "/" + hex.substring(2, 4) + "/" + hex;
    }

    @Override
    public Optional<Blob> find(Sha256 sha256) throws IOException {
        String key = keyOf(sha256);
        Optional<HeadObjectResponse> h = store.head(key);
        return h.map(head -> new S3Blob(key, head.contentLength(), head.eTag()));
    }

    @Override
    public StagedBlob stage(InputStream content) throws IOException {
        MessageDigest digest = Sha256.newDigest();
        byte[] buffer = new byte[store.partSize()];
        int first = content.readNBytes(buffer, 0, buffer.length);
        digest.update(buffer, 0, first);
        if (first < buffer.length) {
            return new InMemory(buffer, first, Sha256.of(digest.digest()));
        }
        String temp = store.newTempKey();
        boolean staged = false;
        try {
            long size = store.uploadParts(temp, buffer, content, digest);
            staged = true;
            return new Uploaded(temp, size, Sha256.of(digest.digest()));
        } finally {
            if (!staged) {
                store.deleteQuietly(temp);
            }
        }
    }

    /** An object of this store's directory layout is copied within the bucket, server-side; anything else is streamed. */
    @Override
    public StagedBlob stageCopyOf(ModelFile file, Sha256 sha256) throws IOException {
        if (file instanceof S3ModelFile f && f.store() == store) {
            String temp = store.newTempKey();
            long size = f.metadata().size();
            try {
                store.copy(f.key(), size, temp, sha256, FileOverwrite.REPLACE);
            } catch (SdkException e) {
                store.deleteQuietly(temp);
                throw S3ModelFileStore.failure("copying " + f.key(), e);
            }
            return new Uploaded(temp, size, sha256);
        }
        return BlobStore.super.stageCopyOf(file, sha256);
    }

    @Override
    public void delete(Sha256 sha256) throws IOException {
        try {
            store.client().deleteObject(r -> r.bucket(store.bucket()).key(keyOf(sha256)));
        } catch (SdkException e) {
            throw S3ModelFileStore.failure("DeleteObject " + keyOf(sha256), e);
        }
    }

    @Override
    public void quarantine(Sha256 sha256) throws IOException {
        Optional<Blob> blob = find(sha256);
        if (blob.isEmpty()) {
            return;
        }
        try {
            store.copy(keyOf(sha256), blob.get().size(), quarantinePrefix + sha256.hex() + "." + System.currentTimeMillis(), sha256,
                    FileOverwrite.REPLACE);
        } catch (SdkException e) {
            throw S3ModelFileStore.failure("quarantining " + keyOf(sha256), e);
        }
        delete(sha256);
    }

    @Override
    public List<StoredBlob> list(@Nullable Sha256 after, int limit) throws IOException {
        List<StoredBlob> out = new ArrayList<>();
        String startAfter = after == null ? null : keyOf(after);
        String token = null;
        do {
            ListObjectsV2Response page;
            try {
                ListObjectsV2Request.Builder r = ListObjectsV2Request.builder().bucket(store.bucket()).prefix(blobsPrefix)
                        .maxKeys(Math.min(1000, limit));
                if (token != null) {
                    r.continuationToken(token);
                } else if (startAfter != null) {
                    r.startAfter(startAfter);
                }
                page = store.client().listObjectsV2(r.build());
            } catch (SdkException e) {
                throw S3ModelFileStore.failure("ListObjectsV2 " + blobsPrefix, e);
            }
            for (S3Object o : page.contents()) {
                String name = o.key().substring(o.key().lastIndexOf('/') + 1);
                if (HEX64.matcher(name).matches() && o.key().equals(keyOf(Sha256.parseHex(name)))) {
                    out.add(new StoredBlob(Sha256.parseHex(name), o.size(), o.lastModified()));
                    if (out.size() >= limit) {
                        return out;
                    }
                }
            }
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
        return out;
    }

    /** Temporary objects and multipart uploads older than the limit: a node killed mid-upload left them. */
    @Override
    public int removeAbandonedStaging(long olderThanSeconds) throws IOException {
        Instant before = Instant.now().minusSeconds(olderThanSeconds);
        int removed = 0;
        try {
            for (S3Object o : store.client().listObjectsV2Paginator(r -> r.bucket(store.bucket()).prefix(store.tempPrefix())).contents()) {
                if (o.lastModified().isBefore(before)) {
                    store.deleteQuietly(o.key());
                    removed++;
                }
            }
            for (MultipartUpload u : store.client().listMultipartUploadsPaginator(r -> r.bucket(store.bucket())
                    .prefix(store.tempPrefix())).uploads()) {
                if (u.initiated().isBefore(before)) {
                    store.abortQuietly(u.key(), u.uploadId());
                    removed++;
                }
            }
        } catch (SdkException e) {
            throw S3ModelFileStore.failure("listing abandoned uploads", e);
        }
        return removed;
    }

    @Override
    public void checkReachable() throws IOException {
        store.checkReachable();
    }

    /**
     * Makes the blob's key hold the staged bytes unless it holds that many already: a 412 of the conditional write means
     * another node got there. A blob of another size (altered since) is replaced unconditionally.
     */
    private void publishOnce(Sha256 sha, long size, Publication publication) throws IOException {
        Optional<HeadObjectResponse> existing = store.head(keyOf(sha));
        if (existing.isPresent() && existing.get().contentLength() == size) {
            return;
        }
        FileOverwrite overwrite = existing.isPresent() ? FileOverwrite.REPLACE : FileOverwrite.REFUSE;
        try {
            publication.run(overwrite);
        } catch (RegistryException e) {
            if (e.reason() != org.mlregistry.core.Refusal.FILE_EXISTS) {
                throw e;
            }
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() != 412 && e.statusCode() != 409) {
                throw S3ModelFileStore.failure("publishing " + keyOf(sha), e);
            }
        } catch (SdkException e) {
            throw S3ModelFileStore.failure("publishing " + keyOf(sha), e);
        }
    }

    @FunctionalInterface
    private interface Publication {
        void run(FileOverwrite overwrite) throws IOException;
    }

    /** A blob in the bucket, read by ranged GETs of that object version ({@link S3ObjectChannel}). */
    private final class S3Blob implements Blob {
        private final String key;
        private final long size;
        private final String etag;

        S3Blob(String key, long size, String etag) {
            this.key = key;
            this.size = size;
            this.etag = etag;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public SeekableByteChannel open() throws IOException {
            return new S3ObjectChannel(store.client(), store.bucket(), key, size, etag).start();
        }

        @Override
        public Optional<URI> redirect(String fileName) {
            return store.presignedUrl(key, ContentDisposition.attachment(fileName));
        }
    }

    /** A small upload, held in memory until it is published with one conditional {@code PutObject}. */
    private final class InMemory implements StagedBlob {
        private final byte[] bytes;
        private final int length;
        private final Sha256 sha;

        InMemory(byte[] bytes, int length, Sha256 sha) {
            this.bytes = bytes;
            this.length = length;
            this.sha = sha;
        }

        @Override
        public Sha256 sha256() {
            return sha;
        }

        @Override
        public long size() {
            return length;
        }

        @Override
        public void publish() throws IOException {
            publishOnce(sha, length, overwrite -> store.put(keyOf(sha), bytes, length, sha, overwrite));
        }

        @Override
        public void close() {
            // nothing outside the heap
        }
    }

    /** A large upload, complete at a temporary key, published by a server-side copy, removed when closed. */
    private final class Uploaded implements StagedBlob {
        private final String temp;
        private final long size;
        private final Sha256 sha;

        Uploaded(String temp, long size, Sha256 sha) {
            this.temp = temp;
            this.size = size;
            this.sha = sha;
        }

        @Override
        public Sha256 sha256() {
            return sha;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public void publish() throws IOException {
            publishOnce(sha, size, overwrite -> store.copy(temp, size, keyOf(sha), sha, overwrite));
        }

        @Override
        public void close() {
            store.deleteQuietly(temp);
        }
    }
}
