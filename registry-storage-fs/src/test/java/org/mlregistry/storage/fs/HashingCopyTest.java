package org.mlregistry.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mlregistry.core.model.Sha256;

/** The two-thread copy: the same bytes and the same digest as a plain copy, at every buffer boundary. */
class HashingCopyTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, HashingCopy.BUFFER - 1, HashingCopy.BUFFER, HashingCopy.BUFFER + 1, 3 * HashingCopy.BUFFER + 7})
    void copiesEveryByteAndHashesThemInOrder(int size) throws IOException {
        byte[] content = new byte[size];
        new Random(size).nextBytes(content);
        Path target = Files.createFile(dir.resolve("f"));
        // a body handed over in odd small pieces, as a container does
        InputStream trickle = new ByteArrayInputStream(content) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 8191));
            }
        };
        Sha256 sha;
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.WRITE)) {
            sha = HashingCopy.copy(trickle, out);
        }
        assertThat(sha).isEqualTo(Sha256.hash(content));
        assertThat(Files.readAllBytes(target)).isEqualTo(content);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void tellsAFailedWriteFromAFailedRead(boolean writeFails) throws IOException {
        Path target = Files.createFile(dir.resolve("g"));
        InputStream body = writeFails ? new ByteArrayInputStream(new byte[10]) : new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("client went away");
            }
        };
        FileChannel closed = FileChannel.open(target, StandardOpenOption.WRITE);
        closed.close(); // every write fails
        if (writeFails) {
            assertThatThrownBy(() -> HashingCopy.copy(body, closed)).isInstanceOf(HashingCopy.WriteFailure.class);
        } else {
            assertThatThrownBy(() -> HashingCopy.copy(body, closed)).isNotInstanceOf(HashingCopy.WriteFailure.class)
                    .hasMessage("client went away");
        }
    }
}
