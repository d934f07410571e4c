package org.mlregistry.storage.fs;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.util.Locale;
import java.util.Optional;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.spi.WriteRefusals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the file-system errors that an operator's layout or a full disk cause, which clients get a clear
 * answer for, from real storage failures. {@code java.nio.file} reports most of them only as text
 * ({@code ENOSPC} arrives as "No space left on device"), so that text is what is matched.
 */
final class StorageFailures {

    private static final Logger LOG = LoggerFactory.getLogger(StorageFailures.class);

    private StorageFailures() {
    }

    /** The refusal a failed write stands for, if it is one a client should be told about. */
    static Optional<RegistryException> refusalFor(IOException e) {
        String text = text(e);
        if (text.contains("no space left") || text.contains("quota exceeded") || text.contains("out of disk space")) {
            LOG.warn("storage is full; an upload was refused with 507: {}", e.getMessage());
            return Optional.of(WriteRefusals.insufficientStorage());
        }
        if (text.contains("file name too long") || text.contains("name too long")) {
            return Optional.of(WriteRefusals.pathTooLong());
        }
        return Optional.empty();
    }

    /** True when a lookup failed because of the layout (link loop, long name, no access), not broken storage. */
    static boolean meansAbsent(FileSystemException e) {
        String text = text(e);
        return text.contains("symbolic link") || text.contains("name too long") || text.contains("not a directory")
                || e instanceof java.nio.file.AccessDeniedException;
    }

    private static String text(IOException e) {
        String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
        return String.valueOf(reason).toLowerCase(Locale.ROOT);
    }
}
