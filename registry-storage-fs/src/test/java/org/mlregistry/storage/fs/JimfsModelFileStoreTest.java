package org.mlregistry.storage.fs;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.mlregistry.core.spi.ModelFileStore;
import org.mlregistry.core.testing.ModelFileStoreContract;

/** The store contract on in-memory file systems with Unix and with Windows rules. */
class JimfsModelFileStoreTest {

    abstract static class OnJimfs extends ModelFileStoreContract {
        private FileSystem fs;

        abstract Configuration configuration();

        abstract String rootPath();

        @Override
        protected ModelFileStore store() throws IOException {
            fs = Jimfs.newFileSystem(configuration());
            Path root = Files.createDirectories(fs.getPath(rootPath()));
            return new FileSystemModelFileStore(root);
        }

        @AfterEach
        void close() throws IOException {
            if (fs != null) {
                fs.close();
            }
        }
    }

    @Nested
    class Unix extends OnJimfs {
        @Override
        Configuration configuration() {
            return Configuration.unix();
        }

        @Override
        String rootPath() {
            return "/srv/models";
        }
    }

    @Nested
    class Windows extends OnJimfs {
        @Override
        Configuration configuration() {
            return Configuration.windows();
        }

        @Override
        String rootPath() {
            return "C:\\srv\\models";
        }
    }
}
