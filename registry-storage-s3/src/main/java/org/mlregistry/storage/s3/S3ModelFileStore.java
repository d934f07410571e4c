package org.mlregistry.storage.s3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.model.DirectoryPath;
import org.mlregistry.core.model.FileEntry;
import org.mlregistry.core.model.FileMetadata;
import org.mlregistry.core.model.FileOverwrite;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ModelVersionRef;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.spi.ModelFile;
import org.mlregistry.core.spi.ModelFileStore;
import org.mlregistry.core.spi.PublishGate;
import org.mlregistry.core.spi.WriteOptions;
import org.mlregistry.core.spi.WriteRefusals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Model files in an S3-compatible bucket, keyed as the file-system layout is laid out:
 * {@code <prefix><projectId>/<versionDir>/<path...>/<file_name>}. The SHA-256 of every upload is stored as
 * object metadata ({@value #SHA256_METADATA}), so no node ever re-hashes a file; the HTTP ETag stays that
 * SHA-256, never S3's MD5 or multipart ETag. Reads are ranged {@code GetObject}s pinned to the object found
 * ({@code If-Match}), streamed in constant memory. Uploads up to one part are a single {@code PutObject};
 * larger ones go through a multipart upload to a temporary key in parts of {@link Builder#partSize} (one part
 * buffered at a time), are verified, then copied server-side to their key with the digest as metadata: a
 * failed or refused upload leaves nothing visible and aborts its multipart upload. With
 * {@link Builder#redirect}, a found file offers a short-lived presigned URL (GitLab's direct download).
 *
 * <pre>{@code
 * S3ModelFileStore store = S3ModelFileStore.builder(s3Client, "models").prefix("registry/").build();
 * }</pre>
 *
 * <p>Threading: safe for concurrent use, as the {@link S3Client} is.
 */
public final class S3ModelFileStore implements ModelFileStore {

    /** The user-metadata key holding an object's SHA-256 (hex). */
    public static final String SHA256_METADATA = "sha256";
    /** The user metadata naming the upload that wrote an object: how a retried conditional write recognizes its own. */
    static final String UPLOAD_METADATA = "upload";
    /** The default part size of multipart uploads: also the most one upload holds in memory. */
    public static final int DEFAULT_PART_SIZE = 8 * 1024 * 1024;
    /** How long a presigned download URL is valid by default. */
    public static final Duration DEFAULT_REDIRECT_TTL = Duration.ofMinutes(5);
    /** S3's largest single-request copy. */
    static final long MAX_SINGLE_COPY = 5L * 1024 * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(S3ModelFileStore.class);
    private static final String TEMP_PREFIX = ".mlregistry/uploads/";

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final int partSize;
    private final @Nullable S3Presigner presigner;
    private final Duration redirectTtl;

    private S3ModelFileStore(Builder b) {
        this.s3 = b.s3;
        this.bucket = b.bucket;
        this.prefix = b.prefix;
        this.partSize = b.partSize;
        this.presigner = b.presigner;
        this.redirectTtl = b.redirectTtl;
    }

    /** Starts a builder for a store in {@code bucket}, talking through {@code s3}. */
    public static Builder builder(S3Client s3, String bucket) {
        return new Builder(s3, bucket);
    }

    S3Client client() {
        return s3;
    }

    String bucket() {
        return bucket;
    }

    private String versionPrefix(long projectId, ModelVersionRef version) {
        return prefix + projectId + "/" + version.directoryName() + "/";
    }

    private String key(long projectId, ModelVersionRef version, FilePath path) {
        return versionPrefix(projectId, version) + path;
    }

    @Override
    public Optional<ModelFile> find(long projectId, ModelVersionRef version, FilePath path) throws IOException {
        String key = key(projectId, version, path);
        return head(key).map(h -> new S3ModelFile(this, key, new FileMetadata(h.contentLength(), h.lastModified()), h.eTag(),
                digestOf(h)));
    }

    private static @Nullable Sha256 digestOf(HeadObjectResponse h) {
        String hex = h.metadata().get(SHA256_METADATA);
        try {
            return hex == null ? null : Sha256.parseHex(hex);
        } catch (IllegalArgumentException e) {
            return null; // not ours: hashed on demand
        }
    }

    Optional<HeadObjectResponse> head(String key) throws IOException {
        try {
            return Optional.of(s3.headObject(r -> r.bucket(bucket).key(key)));
        } catch (NoSuchKeyException e) {
            return absentUnlessTheBucketIs();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return absentUnlessTheBucketIs();
            }
            throw failure("HeadObject " + key, e);
        } catch (SdkException e) {
            throw failure("HeadObject " + key, e);
        }
    }

    /** A HEAD cannot tell a missing object from a missing bucket; on a miss, ask about the bucket once. */
    private Optional<HeadObjectResponse> absentUnlessTheBucketIs() throws IOException {
        try {
            s3.headBucket(r -> r.bucket(bucket));
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                LOG.warn("the bucket {} does not exist", bucket);
                throw WriteRefusals.storageUnavailable();
            }
            throw failure("HeadBucket " + bucket, e);
        } catch (SdkException e) {
            throw failure("HeadBucket " + bucket, e);
        }
    }

    /** Asks S3 about the bucket: it answers, and the bucket is there. */
    @Override
    public void checkReachable() throws IOException {
        try {
            s3.headBucket(r -> r.bucket(bucket));
        } catch (SdkException e) {
            throw failure("HeadBucket " + bucket, e);
        }
    }

    Optional<URI> presignedUrl(String key) {
        return presignedUrl(key, null);
    }

    /** A signed GET of {@code key}; with {@code disposition}, the download answers with that {@code Content-Disposition}. */
    Optional<URI> presignedUrl(String key, @Nullable String disposition) {
        S3Presigner p = presigner;
        if (p == null) {
            return Optional.empty();
        }
        return Optional.of(URI.create(p.presignGetObject(r -> r.signatureDuration(redirectTtl)
                .getObjectRequest(g -> g.bucket(bucket).key(key).responseContentDisposition(disposition))).url().toString()));
    }

    /** The key prefix everything of this store lies under (empty, or ending in {@code /}). */
    String prefix() {
        return prefix;
    }

    int partSize() {
        return partSize;
    }

    /**
     * The blobs under this store's prefix ({@code <prefix>blobs/sha256/ab/cd/<hex>}), in the same bucket: what a
     * registry with a catalog keeps versions' files in ({@link org.mlregistry.core.ModelRegistry.Builder#blobs}), this
     * store keeping candidates and the directory layout.
     */
    public S3BlobStore blobs() {
        return new S3BlobStore(this);
    }

    @Override
    public boolean hasVersion(long projectId, ModelVersionRef version) throws IOException {
        return !listPage(versionPrefix(projectId, version), null, null, 1).contents().isEmpty();
    }

    @Override
    public List<FileEntry> list(long projectId, ModelVersionRef version, DirectoryPath directory) throws IOException {
        String dir = versionPrefix(projectId, version) + (directory.segments().isEmpty() ? "" : directory + "/");
        List<FileEntry> entries = new ArrayList<>();
        String token = null;
        do {
            ListObjectsV2Response page = listPage(dir, "/", token, 1000);
            for (CommonPrefix p : page.commonPrefixes()) {
                String name = p.prefix().substring(dir.length(), p.prefix().length() - 1);
                if (FilePath.isValidSegment(name)) {
                    entries.add(FileEntry.directory(name));
                }
            }
            for (S3Object o : page.contents()) {
                String name = o.key().substring(dir.length());
                if (FilePath.isValidSegment(name)) {
                    entries.add(FileEntry.file(name, o.size()));
                }
            }
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
        entries.sort(java.util.Comparator.comparing(FileEntry::name));
        return entries;
    }

    ListObjectsV2Response listPage(String keyPrefix, @Nullable String delimiter, @Nullable String token, int max)
            throws IOException {
        try {
            ListObjectsV2Request.Builder r = ListObjectsV2Request.builder().bucket(bucket).prefix(keyPrefix).maxKeys(max);
            if (delimiter != null) {
                r.delimiter(delimiter);
            }
            if (token != null) {
                r.continuationToken(token);
            }
            return s3.listObjectsV2(r.build());
        } catch (SdkException e) {
            throw failure("ListObjectsV2 " + keyPrefix, e);
        }
    }

    @Override
    @SuppressWarnings("try") // the gate's pass is held by the try, not used in it
    public FileMetadata store(long projectId, ModelVersionRef version, FilePath path, InputStream content, WriteOptions options)
            throws IOException {
        String key = key(projectId, version, path);
        checkNoConflict(projectId, version, path, key);
        if (options.overwrite() == FileOverwrite.REFUSE && head(key).isPresent()) {
            throw WriteRefusals.fileExists();
        }
        MessageDigest digest = Sha256.newDigest();
        byte[] buffer = new byte[partSize]; // the one buffer of this upload, reused for every part
        int first = content.readNBytes(buffer, 0, partSize);
        digest.update(buffer, 0, first);
        if (first < partSize) {
            Sha256 sha = verified(Sha256.of(digest.digest()), options);
            try (PublishGate.Pass pass = options.gate().enter()) {
                put(key, buffer, first, sha, options.overwrite());
            }
        } else {
            multipart(key, buffer, content, digest, options);
        }
        HeadObjectResponse h = head(key).orElseThrow(() -> new IOException("S3 lost " + key + " right after storing it"));
        return new FileMetadata(h.contentLength(), h.lastModified());
    }

    private static Sha256 verified(Sha256 actual, WriteOptions options) {
        Optional<Sha256> expected = options.expectedSha256();
        if (expected.isPresent() && !expected.get().equals(actual)) {
            throw WriteRefusals.checksumMismatch(actual, expected.get());
        }
        return actual;
    }

    /** S3 has no directories: a file where the path needs one, or files below the name itself, are refused as on disk. */
    private void checkNoConflict(long projectId, ModelVersionRef version, FilePath path, String key) throws IOException {
        List<String> dirs = path.directories();
        for (int i = 1; i <= dirs.size(); i++) {
            if (head(versionPrefix(projectId, version) + String.join("/", dirs.subList(0, i))).isPresent()) {
                throw WriteRefusals.fileInTheWay(dirs.get(i - 1));
            }
        }
        if (!listPage(key + "/", null, null, 1).contents().isEmpty()) {
            throw WriteRefusals.directoryInTheWay(path.fileName());
        }
    }

    /** One request; with refuse, {@code If-None-Match: *} makes the check and the write one step in S3 itself. */
    void put(String key, byte[] bytes, int length, Sha256 sha, FileOverwrite overwrite) throws IOException {
        String upload = UUID.randomUUID().toString();
        try {
            s3.putObject(r -> {
                r.bucket(bucket).key(key).contentLength((long) length)
                        .metadata(Map.of(SHA256_METADATA, sha.hex(), UPLOAD_METADATA, upload));
                if (overwrite == FileOverwrite.REFUSE) {
                    r.ifNoneMatch("*");
                }
            }, body(bytes, length));
        } catch (S3Exception e) {
            if ((e.statusCode() == 412 || e.statusCode() == 409) && !wroteIt(key, upload)) {
                throw WriteRefusals.fileExists();
            }
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                return;
            }
            throw failure("PutObject " + key, e);
        } catch (SdkException e) {
            throw failure("PutObject " + key, e);
        }
    }

    /**
     * Whether the object at {@code key} is this upload's: a conditional write whose first attempt succeeded but whose
     * answer was lost is retried by the SDK, and the retry's 412 must not refuse what was stored.
     */
    private boolean wroteIt(String key, String upload) throws IOException {
        return head(key).map(h -> upload.equals(h.metadata().get(UPLOAD_METADATA))).orElse(false);
    }

    /** The first {@code length} bytes of {@code bytes}, streamed by the SDK without a copy (resettable for retries). */
    private static RequestBody body(byte[] bytes, int length) {
        return RequestBody.fromInputStream(new ByteArrayInputStream(bytes, 0, length), length);
    }

    /**
     * A large upload: parts to a temporary key, then, verified, a server-side copy carrying the digest.
     * {@code buffer} holds the first, full part on entry and is reused for every part after it.
     */
    @SuppressWarnings("try") // the gate's pass is held by the try, not used in it
    private void multipart(String key, byte[] buffer, InputStream content, MessageDigest digest, WriteOptions options)
            throws IOException {
        String temp = newTempKey();
        try {
            long total = uploadParts(temp, buffer, content, digest);
            Sha256 sha = verified(Sha256.of(digest.digest()), options);
            try (PublishGate.Pass pass = options.gate().enter()) {
                copy(temp, total, key, sha, options.overwrite());
            }
        } catch (S3Exception e) {
            if (e.statusCode() == 412 && options.overwrite() == FileOverwrite.REFUSE) {
                throw WriteRefusals.fileExists(); // another upload of the name got there first
            }
            throw failure("uploading " + key, e);
        } catch (SdkException e) {
            throw failure("uploading " + key, e);
        } finally {
            deleteQuietly(temp);
        }
    }

    /** A key for an upload in progress, apart from every file and blob. */
    String newTempKey() {
        return prefix + TEMP_PREFIX + UUID.randomUUID();
    }

    /** The prefix of the keys of uploads in progress. */
    String tempPrefix() {
        return prefix + TEMP_PREFIX;
    }

    /**
     * Uploads {@code content} as the parts of a multipart upload to {@code temp} and completes it; aborted when it
     * fails. {@code buffer} holds the first, full part on entry and is reused for every part after it; {@code digest}
     * has been given that part and takes every later one.
     *
     * @return the object's size
     */
    long uploadParts(String temp, byte[] buffer, InputStream content, MessageDigest digest) throws IOException {
        String uploadId;
        try {
            uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(temp)).uploadId();
        } catch (SdkException e) {
            throw failure("CreateMultipartUpload " + temp, e);
        }
        boolean completed = false;
        try {
            List<CompletedPart> parts = new ArrayList<>();
            long total = 0;
            int length = partSize;
            while (length > 0) {
                int number = parts.size() + 1;
                int size = length;
                String etag = s3.uploadPart(r -> r.bucket(bucket).key(temp).uploadId(uploadId).partNumber(number)
                        .contentLength((long) size), body(buffer, size)).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
                total += size;
                length = content.readNBytes(buffer, 0, partSize);
                digest.update(buffer, 0, length);
            }
            s3.completeMultipartUpload(r -> r.bucket(bucket).key(temp).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
            completed = true;
            return total;
        } catch (SdkException e) {
            throw failure("uploading " + temp, e);
        } finally {
            if (!completed) {
                abortQuietly(temp, uploadId);
            }
        }
    }

    /** With refuse, {@code If-None-Match: *} on the write that makes the object visible: S3 decides races. */
    void copy(String from, long size, String to, Sha256 sha, FileOverwrite overwrite) {
        // one CopyObject up to 5 GiB; beyond, a multipart copy of the same bytes
        String condition = overwrite == FileOverwrite.REFUSE ? "*" : null;
        if (size <= MAX_SINGLE_COPY) {
            s3.copyObject(r -> r.sourceBucket(bucket).sourceKey(from).destinationBucket(bucket).destinationKey(to)
                    .metadataDirective(MetadataDirective.REPLACE).metadata(Map.of(SHA256_METADATA, sha.hex())).ifNoneMatch(condition));
            return;
        }
        String uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(to).metadata(Map.of(SHA256_METADATA, sha.hex())))
                .uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            long step = 1024L * 1024 * 1024;
            for (long start = 0; start < size; start += step) {
                int number = parts.size() + 1;
                String range = "bytes=" + start + "-" + (Math.min(size, start + step) - 1);
                String etag = s3.uploadPartCopy(r -> r.sourceBucket(bucket).sourceKey(from).destinationBucket(bucket)
                        .destinationKey(to).uploadId(uploadId).partNumber(number).copySourceRange(range)).copyPartResult().eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            }
            s3.completeMultipartUpload(r -> r.bucket(bucket).key(to).uploadId(uploadId).multipartUpload(m -> m.parts(parts))
                    .ifNoneMatch(condition));
        } catch (SdkException e) {
            abortQuietly(to, uploadId);
            throw e;
        }
    }

    void abortQuietly(String key, String uploadId) {
        try {
            s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
        } catch (SdkException e) {
            LOG.warn("could not abort the multipart upload of {}; the bucket's lifecycle rule must: {}", key, e.toString());
        }
    }

    void deleteQuietly(String key) {
        try {
            s3.deleteObject(r -> r.bucket(bucket).key(key));
        } catch (SdkException e) {
            LOG.warn("could not delete the temporary object {}: {}", key, e.toString());
        }
    }

    /** A HEAD to tell whether the object is there, then its deletion; "directories" are prefixes and go with it. */
    @Override
    public boolean deleteFile(long projectId, ModelVersionRef version, FilePath path) throws IOException {
        String key = key(projectId, version, path);
        if (head(key).isEmpty()) {
            return false;
        }
        try {
            s3.deleteObject(r -> r.bucket(bucket).key(key));
        } catch (SdkException e) {
            throw failure("DeleteObject " + key, e);
        }
        return true;
    }

    @Override
    public void deleteVersion(long projectId, ModelVersionRef version) throws IOException {
        String keyPrefix = versionPrefix(projectId, version);
        String token = null;
        do {
            ListObjectsV2Response page = listPage(keyPrefix, null, token, 1000);
            List<ObjectIdentifier> ids = page.contents().stream().map(o -> ObjectIdentifier.builder().key(o.key()).build()).toList();
            if (!ids.isEmpty()) {
                try {
                    s3.deleteObjects(r -> r.bucket(bucket).delete(d -> d.objects(ids).quiet(true)));
                } catch (SdkException e) {
                    throw failure("DeleteObjects " + keyPrefix, e);
                }
            }
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
    }

    /**
     * An S3 failure as the registry answers it: the bucket unreachable (no answer at all), missing, or failing
     * on its side (5xx, throttling) is {@code STORAGE_UNAVAILABLE} (503), thrown here and logged as a warning;
     * anything else, such as a refused signature, is a real failure, returned as an {@link IOException}.
     */
    static IOException failure(String what, SdkException e) {
        boolean noAnswer = !(e instanceof S3Exception);
        boolean theirs = e instanceof S3Exception s && (s.statusCode() >= 500 || s.statusCode() == 429);
        // a missing bucket is the operator's to fix, not the client's: unavailable, not "no such file"
        boolean noBucket = e instanceof NoSuchBucketException;
        if (noAnswer || theirs || noBucket) {
            LOG.warn("S3 {} failed: {}", what, e.getMessage());
            throw WriteRefusals.storageUnavailable();
        }
        return new IOException("S3 " + what + " failed: " + e.getMessage(), e);
    }

    /**
     * Builds an {@link S3ModelFileStore}.
     *
     * <p>Threading: not thread-safe; build once.
     */
    public static final class Builder {
        private final S3Client s3;
        private final String bucket;
        private String prefix = "";
        private int partSize = DEFAULT_PART_SIZE;
        private @Nullable S3Presigner presigner;
        private Duration redirectTtl = DEFAULT_REDIRECT_TTL;

        private Builder(S3Client s3, String bucket) {
            this.s3 = Objects.requireNonNull(s3, "s3");
            this.bucket = Objects.requireNonNull(bucket, "bucket");
        }

        /** A key prefix ({@code registry/}); every key of this store starts with it. */
        public Builder prefix(String keyPrefix) {
            Objects.requireNonNull(keyPrefix, "keyPrefix");
            this.prefix = keyPrefix.isEmpty() || keyPrefix.endsWith("/") ? keyPrefix : keyPrefix + "/";
            return this;
        }

        /** The part size of multipart uploads, at least S3's minimum of 5 MiB. */
        public Builder partSize(int bytes) {
            if (bytes < 5 * 1024 * 1024) {
                throw new IllegalArgumentException("S3 parts are at least 5 MiB");
            }
            this.partSize = bytes;
            return this;
        }

        /** Offer presigned URLs, valid for {@code ttl}, so that the file route redirects downloads to the bucket. */
        public Builder redirect(S3Presigner urlSigner, Duration ttl) {
            this.presigner = Objects.requireNonNull(urlSigner, "urlSigner");
            this.redirectTtl = Objects.requireNonNull(ttl, "ttl");
            return this;
        }

        public S3ModelFileStore build() {
            return new S3ModelFileStore(this);
        }
    }
}
