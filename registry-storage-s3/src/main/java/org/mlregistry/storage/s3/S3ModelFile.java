package org.mlregistry.storage.s3;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.model.FileMetadata;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.spi.ModelFile;

/** An object found in the bucket: its metadata from one {@code HeadObject}, the digest from its user metadata. */
final class S3ModelFile implements ModelFile {

    private final S3ModelFileStore store;
    private final String key;
    private final FileMetadata metadata;
    private final String objectEtag;
    private final @Nullable Sha256 sha256;

    S3ModelFile(S3ModelFileStore store, String key, FileMetadata metadata, String objectEtag, @Nullable Sha256 sha256) {
        this.store = store;
        this.key = key;
        this.metadata = metadata;
        this.objectEtag = objectEtag;
        this.sha256 = sha256;
    }

    /** The object's key and the store it is in: a migration copies it within the bucket. */
    String key() {
        return key;
    }

    S3ModelFileStore store() {
        return store;
    }

    @Override
    public FileMetadata metadata() {
        return metadata;
    }

    @Override
    public Optional<Sha256> knownSha256() {
        return Optional.ofNullable(sha256);
    }

    /** Recorded at upload; an object put in the bucket by other means is hashed by reading it (each time). */
    @Override
    public Sha256 sha256() throws IOException {
        if (sha256 != null) {
            return sha256;
        }
        MessageDigest digest = Sha256.newDigest();
        try (SeekableByteChannel ch = open(); OutputStream sink = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
            Channels.newInputStream(ch).transferTo(sink);
        }
        return Sha256.of(digest.digest());
    }

    @Override
    public SeekableByteChannel open() throws IOException {
        return new S3ObjectChannel(store.client(), store.bucket(), key, metadata.size(), objectEtag).start();
    }

    @Override
    public Optional<URI> redirect() {
        return store.presignedUrl(key);
    }
}
