package org.mlregistry.examples.inprocess;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example does what it says, on a fresh folder. */
class InProcessExampleTest {

    @Test
    void storesAndServesAFileAndRefusesAnAnonymousCaller(@TempDir Path root) throws Exception {
        String out = InProcessExample.run(root);
        assertThat(out).contains("version 1.0.0").contains("holds model.bin: weights")
                .contains("sha256 " + org.mlregistry.core.model.Sha256.hash("weights".getBytes(java.nio.charset.StandardCharsets.UTF_8)).hex())
                .contains("anonymous caller is refused: PROJECT_NOT_FOUND");
        String hex = org.mlregistry.core.model.Sha256.hash("weights".getBytes(java.nio.charset.StandardCharsets.UTF_8)).hex();
        assertThat(root.resolve("blobs/sha256").resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex))
                .as("the bytes stored once, under their SHA-256").hasContent("weights");
    }
}
