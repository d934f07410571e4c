package org.mlregistry.core.spi;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.model.FileOverwrite;
import org.mlregistry.core.model.Sha256;

/**
 * How a {@link ModelFileWriter} is to store one upload: whether it may replace an existing file, and the
 * SHA-256 the client said the content has, which the writer verifies before anything becomes visible.
 */
public final class WriteOptions {
    private final FileOverwrite overwrite;
    private final @Nullable Sha256 expectedSha256;

    private WriteOptions(FileOverwrite overwrite, @Nullable Sha256 expectedSha256) {
        this.overwrite = Objects.requireNonNull(overwrite, "overwrite");
        this.expectedSha256 = expectedSha256;
    }

    /** Store with {@code overwrite}, without a digest to verify. */
    public static WriteOptions of(FileOverwrite overwrite) {
        return new WriteOptions(overwrite, null);
    }

    /** The same options, verifying that the content's SHA-256 is {@code expected}. */
    public WriteOptions expecting(Sha256 expected) {
        return new WriteOptions(overwrite, Objects.requireNonNull(expected, "expected"));
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
