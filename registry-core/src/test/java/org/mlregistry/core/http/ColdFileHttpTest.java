package org.mlregistry.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.List;
import org.mlregistry.core.model.FileEntry;
import org.mlregistry.core.model.DirectoryPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mlregistry.core.memory.InMemoryModelFileStore;
import org.mlregistry.core.model.FileMetadata;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ModelVersionRef;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.spi.ModelFile;
import org.mlregistry.core.spi.ModelFileResolver;
import org.mlregistry.core.testing.InMemoryHttp;
import org.mlregistry.core.testing.InMemoryResponse;
import org.mlregistry.core.testing.TestRegistry;

/**
 * A file whose digest is still being computed (placed by hand, hashing in the background): answered at
 * once, without ETag and digest headers, validated by Last-Modified alone; never waiting for the digest.
 */
class ColdFileHttpTest {

    static final Instant MODIFIED = Instant.parse("2026-03-01T10:00:00Z");
    static final String LM = "Sun, 01 Mar 2026 10:00:00 GMT";

    final AtomicInteger hashRequests = new AtomicInteger();
    InMemoryHttp http;

    /** The stored file, as a store that has not hashed it yet presents it. */
    private ModelFile cold(ModelFile stored) {
        return new ModelFile() {
            @Override
            public FileMetadata metadata() {
                return stored.metadata();
            }

            @Override
            public Optional<Sha256> knownSha256() {
                return Optional.empty();
            }

            @Override
            public Sha256 sha256() {
                throw new AssertionError("a request waited for the digest");
            }

            @Override
            public Optional<Sha256> readySha256() {
                hashRequests.incrementAndGet();
                return Optional.empty();
            }

            @Override
            public SeekableByteChannel open() throws IOException {
                return stored.open();
            }
        };
    }

    @BeforeEach
    void start() {
        InMemoryModelFileStore store = new InMemoryModelFileStore(Clock.fixed(MODIFIED, ZoneOffset.UTC));
        store.put(5, ModelVersionRef.ofVersion(1), FilePath.of("model.bin"), "0123456789".getBytes(StandardCharsets.US_ASCII));
        ModelFileResolver files = new ModelFileResolver() {
            @Override
            public Optional<ModelFile> find(long project, ModelVersionRef version, FilePath path) throws IOException {
                return store.find(project, version, path).map(ColdFileHttpTest.this::cold);
            }

            @Override
            public List<FileEntry> list(long project, ModelVersionRef version, DirectoryPath directory) throws IOException {
                return store.list(project, version, directory);
            }
        };
        http = new InMemoryHttp(TestRegistry.readOnly(files));
    }

    @ParameterizedTest(name = "{0}: {1} {2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "plain                           | GET  | -                                  | 200 | 0123456789",
        "HEAD                            | HEAD | -                                  | 200 | ''",
        "range                           | GET  | Range: bytes=2-4                   | 206 | 234",
        "If-Range by date, current       | GET  | Range: bytes=2-4; If-Range: LM     | 206 | 234",
        "If-Range by ETag: none yet      | GET  | Range: bytes=2-4; If-Range: \"abc\" | 200 | 0123456789",
        "If-None-Match tag: none matches | GET  | If-None-Match: \"abc\"              | 200 | 0123456789",
        "If-None-Match star              | GET  | If-None-Match: *                   | 304 | ''",
        "If-Match tag: none matches      | GET  | If-Match: \"abc\"                   | 412 | -",
        "If-Match star                   | GET  | If-Match: *                        | 200 | 0123456789",
        "If-Modified-Since current       | GET  | If-Modified-Since: LM              | 304 | ''",
    })
    void answersAtOnceWithoutDigestHeaders(String name, String method, String headers, int status, String body) {
        String file = "/api/v4/projects/5/packages/ml_models/1/files/model.bin";
        InMemoryResponse r = "HEAD".equals(method) ? http.head(file, pairs(headers)) : http.get(file, pairs(headers));

        assertThat(r.statusCode()).isEqualTo(status);
        if (body != null) {
            assertThat(r.bodyText()).isEqualTo(body);
        }
        assertThat(r.header("ETag")).isEmpty();
        assertThat(r.header("X-Checksum-Sha256")).isEmpty();
        assertThat(r.header("Repr-Digest")).isEmpty();
        if (status != 412) {
            assertThat(r.header("Last-Modified")).hasValue(LM);
        }
        assertThat(hashRequests.get()).as("the digest was asked for, in the background").isEqualTo(1);
    }

    /** {@code "A: x; B: y"} as header name and value pairs. */
    private static String[] pairs(String headers) {
        if (headers == null) {
            return new String[0];
        }
        return java.util.Arrays.stream(headers.replace("LM", LM).split(";\\s*"))
                .flatMap(h -> java.util.stream.Stream.of(h.substring(0, h.indexOf(':')).strip(), h.substring(h.indexOf(':') + 1).strip()))
                .toArray(String[]::new);
    }
}
