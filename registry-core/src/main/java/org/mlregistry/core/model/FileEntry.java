package org.mlregistry.core.model;

import java.util.Objects;

/**
 * One entry of a directory listing of a model version: a file with its size, or a directory.
 *
 * @param name the entry's name within its directory
 * @param directory whether it is a directory
 * @param size the file's size in bytes; 0 for a directory
 */
public record FileEntry(String name, boolean directory, long size) {
    public FileEntry {
        Objects.requireNonNull(name, "name");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative");
        }
    }

    /** A file. */
    public static FileEntry file(String name, long size) {
        return new FileEntry(name, false, size);
    }

    /** A directory. */
    public static FileEntry directory(String name) {
        return new FileEntry(name, true, 0);
    }
}
