package org.mlregistry.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Big and replaced files through Jetty and file storage: offsets past 4 GiB, stale validators, parallel ranges. */
class LargeFileHttpTest {

    static final String BASE = "/api/v4/projects/5/packages/ml_models/1/files/";

    @TempDir
    Path root;
    JettyHarness jetty;

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(root.resolve("5/1"));
        jetty = JettyHarness.servingFiles(root);
    }

    @AfterEach
    void stop() throws Exception {
        jetty.close();
    }

    private HttpResponse<byte[]> get(String file, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(jetty.uri(BASE + file));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return jetty.client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void servesRangesBeyond2And4GiBOfASparseFile() throws Exception {
        long size = (1L << 32) + 8192;
        Path file = root.resolve("5/1/huge.bin");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap("past-2GiB".getBytes(StandardCharsets.US_ASCII)), 1L << 31);
            ch.write(ByteBuffer.wrap("past-4GiB".getBytes(StandardCharsets.US_ASCII)), 1L << 32);
            ch.write(ByteBuffer.wrap("end".getBytes(StandardCharsets.US_ASCII)), size - 3);
        }
        HttpResponse<String> head = jetty.send(HttpRequest.newBuilder(jetty.uri(BASE + "huge.bin"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(size);

        long at2 = 1L << 31;
        HttpResponse<byte[]> r2 = get("huge.bin", "Range", "bytes=" + at2 + "-" + (at2 + 8));
        assertThat(r2.statusCode()).isEqualTo(206);
        assertThat(r2.headers().firstValue("Content-Range")).contains("bytes " + at2 + "-" + (at2 + 8) + "/" + size);
        assertThat(new String(r2.body(), StandardCharsets.US_ASCII)).isEqualTo("past-2GiB");

        long at4 = 1L << 32;
        HttpResponse<byte[]> r4 = get("huge.bin", "Range", "bytes=" + at4 + "-" + (at4 + 8) + ",-3");
        assertThat(r4.statusCode()).isEqualTo(206);
        String multipart = new String(r4.body(), StandardCharsets.US_ASCII);
        assertThat(multipart).contains("Content-Range: bytes " + at4 + "-" + (at4 + 8) + "/" + size + "\r\n\r\npast-4GiB\r\n");
        assertThat(multipart).contains("Content-Range: bytes " + (size - 3) + "-" + (size - 1) + "/" + size + "\r\n\r\nend\r\n");

        HttpResponse<byte[]> beyond = get("huge.bin", "Range", "bytes=" + size + "-");
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.headers().firstValue("Content-Range")).contains("bytes */" + size);
    }

    @Test
    void givesAReplacedFileANewETagAndIgnoresAStaleIfRange() throws Exception {
        Path file = root.resolve("5/1/model.bin");
        Files.writeString(file, "version one!");
        Instant time = Instant.parse("2026-01-01T00:00:00Z");
        Files.setLastModifiedTime(file, FileTime.from(time));
        HttpResponse<byte[]> first = get("model.bin");
        String oldTag = first.headers().firstValue("ETag").orElseThrow();

        // replaced by rename with the same size and the same modification time: only the content and inode differ
        Path temp = Files.writeString(root.resolve("5/1/.tmp"), "version two!");
        Files.setLastModifiedTime(temp, FileTime.from(time));
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        HttpResponse<byte[]> resumed = get("model.bin", "Range", "bytes=8-", "If-Range", oldTag);
        assertThat(resumed.statusCode()).isEqualTo(200);
        assertThat(new String(resumed.body(), StandardCharsets.US_ASCII)).isEqualTo("version two!");
        String newTag = resumed.headers().firstValue("ETag").orElseThrow();
        assertThat(newTag).isNotEqualTo(oldTag).isEqualTo("\"" + sha256("version two!".getBytes(StandardCharsets.US_ASCII)) + "\"");
        assertThat(get("model.bin", "If-None-Match", oldTag).statusCode()).isEqualTo(200);
        assertThat(get("model.bin", "If-None-Match", newTag).statusCode()).isEqualTo(304);
    }

    @Test
    void reassemblesAFileFrom8ConcurrentRangedDownloads() throws Exception {
        int size = 64 * 1024 * 1024 + 12345;
        byte[] content = new byte[size];
        new Random(7).nextBytes(content);
        Files.write(root.resolve("5/1/parallel.bin"), content);
        int parts = 8;
        long part = (size + parts - 1) / parts;
        List<CompletableFuture<HttpResponse<byte[]>>> futures = new ArrayList<>();
        for (int i = 0; i < parts; i++) {
            long first = i * part;
            long last = Math.min(size, first + part) - 1;
            futures.add(jetty.client.sendAsync(HttpRequest.newBuilder(jetty.uri(BASE + "parallel.bin"))
                    .header("Range", "bytes=" + first + "-" + last).build(), HttpResponse.BodyHandlers.ofByteArray()));
        }
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (CompletableFuture<HttpResponse<byte[]>> f : futures) {
            HttpResponse<byte[]> r = f.get();
            assertThat(r.statusCode()).isEqualTo(206);
            sha.update(r.body());
        }
        String reassembled = HexFormat.of().formatHex(sha.digest());
        // a 64 MiB file placed by hand is served at once and hashed in the background: its checksum follows
        Optional<String> checksum = Optional.empty();
        Instant deadline = Instant.now().plusSeconds(30);
        while (checksum.isEmpty() && Instant.now().isBefore(deadline)) {
            checksum = jetty.send(HttpRequest.newBuilder(jetty.uri(BASE + "parallel.bin")).method("HEAD", HttpRequest.BodyPublishers.noBody()))
                    .headers().firstValue("X-Checksum-Sha256");
            Thread.sleep(20);
        }
        assertThat(reassembled).isEqualTo(sha256(content)).isEqualTo(checksum.orElseThrow());
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
