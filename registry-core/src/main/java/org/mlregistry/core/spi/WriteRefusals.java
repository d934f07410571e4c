package org.mlregistry.core.spi;

import org.mlregistry.core.Refusal;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.model.Sha256;

/**
 * The refusals a {@link ModelFileWriter} throws, worded once so that every store gives clients the same
 * answer for the same situation.
 */
public final class WriteRefusals {
    private WriteRefusals() {
    }

    /** The file exists and the overwrite policy is {@code refuse}. */
    public static RegistryException fileExists() {
        return new RegistryException(Refusal.FILE_EXISTS, "File already exists");
    }

    /** {@code segment}, a directory of the upload's path, is a file. */
    public static RegistryException fileInTheWay(String segment) {
        return new RegistryException(Refusal.PATH_CONFLICT, "'" + segment + "' is a file, not a directory");
    }

    /** The upload's file name is a directory. */
    public static RegistryException directoryInTheWay(String fileName) {
        return new RegistryException(Refusal.PATH_CONFLICT, "'" + fileName + "' is a directory, not a file");
    }

    /** A part of the path is something the store does not write through (a link leading out of the storage). */
    public static RegistryException notWritable(String segment) {
        return new RegistryException(Refusal.PATH_CONFLICT, "'" + segment + "' is not a directory of this registry");
    }

    /** The content's digest is {@code actual}, the request declared {@code expected}. */
    public static RegistryException checksumMismatch(Sha256 actual, Sha256 expected) {
        return new RegistryException(Refusal.CHECKSUM_MISMATCH, "checksum mismatch: the body's sha-256 is " + actual.hex()
                + ", the request declared " + expected.hex());
    }

    /** The storage cannot hold a path this long. */
    public static RegistryException pathTooLong() {
        return new RegistryException(Refusal.PATH_TOO_LONG, "the file path is too long for the storage");
    }

    /** The storage cannot be reached, or failed on its side; whatever was being done left nothing visible. */
    public static RegistryException storageUnavailable() {
        return new RegistryException(Refusal.STORAGE_UNAVAILABLE);
    }

    /** The storage is full or over quota. */
    public static RegistryException insufficientStorage() {
        return new RegistryException(Refusal.INSUFFICIENT_STORAGE);
    }
}
