package org.mlregistry.examples;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.mlregistry.storage.fs.FileSystemModelFileStore;

/**
 * The storage part of the example server's configuration. It is opened once per process: a reloaded
 * configuration keeps the open store (and with it the digest cache), so changing it needs a restart.
 *
 * @param root the file-system storage root, absolute
 */
public record StorageConfig(Path root) {

    /**
     * Creates the root if needed and opens the store.
     *
     * @throws ConfigException when {@code storage.root} names something that is not a directory
     * @throws IOException when the root cannot be created or read
     */
    public FileSystemModelFileStore open() throws ConfigException, IOException {
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new ConfigException("storage.root", "is not a directory");
        }
        try {
            Files.createDirectories(root);
        } catch (FileAlreadyExistsException e) {
            // a component of the path is a file
            throw new ConfigException("storage.root", "is not a directory (a part of its path is a file)");
        }
        return new FileSystemModelFileStore(root);
    }
}
