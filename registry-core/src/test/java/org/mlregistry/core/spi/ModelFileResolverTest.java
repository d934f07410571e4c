package org.mlregistry.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mlregistry.core.model.DirectoryPath;
import org.mlregistry.core.model.FileEntry;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ModelVersionRef;

/** The default of {@link ModelFileResolver#hasVersion}: storage has a version when it holds something of it. */
class ModelFileResolverTest {

    private final ModelFileResolver oneVersion = new ModelFileResolver() {
        @Override
        public Optional<ModelFile> find(long projectId, ModelVersionRef version, FilePath path) {
            return Optional.empty();
        }

        @Override
        public List<FileEntry> list(long projectId, ModelVersionRef version, DirectoryPath directory) {
            return projectId == 5 && version.equals(ModelVersionRef.ofVersion(1)) && directory.equals(DirectoryPath.TOP)
                    ? List.of(FileEntry.file("model.bin", 10)) : List.of();
        }
    };

    @Test
    void aVersionExistsWhenItsTopDirectoryListsAnEntry() throws Exception {
        assertThat(oneVersion.hasVersion(5, ModelVersionRef.ofVersion(1))).isTrue();
        assertThat(oneVersion.hasVersion(5, ModelVersionRef.ofVersion(2))).isFalse();
        assertThat(oneVersion.hasVersion(6, ModelVersionRef.ofVersion(1))).isFalse();
        assertThat(oneVersion.hasVersion(5, ModelVersionRef.ofCandidate(1))).isFalse();
    }
}
