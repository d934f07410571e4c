package org.mlregistry.storage.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.mlregistry.core.model.FileMetadata;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.spi.ModelFile;

/** A file found on disk, opened from its checked real path without following a link swapped in since. */
record FileSystemModelFile(Path realPath, FileMetadata metadata, FileStamp stamp, DigestCache digests) implements ModelFile {
    @Override
    public FileChannel open() throws IOException {
        return FileChannel.open(realPath, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public Optional<Sha256> knownSha256() {
        return digests.known(realPath, stamp);
    }

    @Override
    public Sha256 sha256() throws IOException {
        return digests.get(realPath, stamp);
    }
}
