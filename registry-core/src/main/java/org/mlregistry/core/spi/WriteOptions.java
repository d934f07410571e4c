package org.mlregistry.core.spi;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.model.FileOverwrite;
import org.mlregistry.core.model.Sha256;

/**
 * How a {@link ModelFileWriter} is to store one upload: whether it may replace an existing file, the
 * SHA-256 the client said the content has, which the writer verifies before anything becomes visible, and the
 * {@link PublishGate} the writer passes through to make it visible. Two options are equal when they say the same
 * about the content (the gate is not compared).
 */
public final class WriteOptions {
    private final FileOverwrite overwrite;
    private final @Nullable Sha256 expectedSha256;
    private final PublishGate gate;
    private final String uploadedBy;

    private WriteOptions(FileOverwrite overwrite, @Nullable Sha256 expectedSha256, PublishGate gate, String uploadedBy) {
        this.overwrite = Objects.requireNonNull(overwrite, "overwrite");
        this.expectedSha256 = expectedSha256;
        this.gate = Objects.requireNonNull(gate, "gate");
        this.uploadedBy = Objects.requireNonNull(uploadedBy, "uploadedBy");
    }

    /** Store with {@code overwrite}, without a digest to verify, through an open gate. */
    public static WriteOptions of(FileOverwrite overwrite) {
        return new WriteOptions(overwrite, null, PublishGate.OPEN, "");
    }

    /** The same options, verifying that the content's SHA-256 is {@code expected}. */
    public WriteOptions expecting(Sha256 expected) {
        return new WriteOptions(overwrite, Objects.requireNonNull(expected, "expected"), gate, uploadedBy);
    }

    /** The same options, publishing through {@code publishGate}. */
    public WriteOptions gated(PublishGate publishGate) {
        return new WriteOptions(overwrite, expectedSha256, publishGate, uploadedBy);
    }

    /** The same options, recording {@code user} (a user's name, or empty) as who uploaded the file, where the store records it. */
    public WriteOptions by(String user) {
        return new WriteOptions(overwrite, expectedSha256, gate, user);
    }

    /** Who uploaded the file: a user's name, or empty. */
    public String uploadedBy() {
        return uploadedBy;
    }

    /** What the writer passes through right before the file becomes visible, and holds until it is. */
    public PublishGate gate() {
        return gate;
    }

    /** Whether an existing file is replaced or the upload refused. */
    public FileOverwrite overwrite() {
        return overwrite;
    }

    /** The digest the content must have, if the client sent one. */
    public Optional<Sha256> expectedSha256() {
        return Optional.ofNullable(expectedSha256);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WriteOptions w && overwrite == w.overwrite && Objects.equals(expectedSha256, w.expectedSha256);
    }

    @Override
    public int hashCode() {
        return Objects.hash(overwrite, expectedSha256);
    }

    @Override
    public String toString() {
        return "WriteOptions[" + overwrite + (expectedSha256 == null ? "" : ", expecting " + expectedSha256) + "]";
    }
}
