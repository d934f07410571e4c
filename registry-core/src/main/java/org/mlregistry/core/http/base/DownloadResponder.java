package org.mlregistry.core.http.base;

import org.mlregistry.core.http.RegistryHttpResponse;
import org.mlregistry.core.http.ClientDisconnectedException;
import org.mlregistry.core.http.ResponseBody;
import org.mlregistry.core.http.RegistryHttpRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.model.FileMetadata;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.spi.ModelFile;
import org.mlregistry.core.util.ContentDisposition;

/**
 * Answers GET and HEAD for a found file with full HTTP content semantics: validators and digests,
 * preconditions (304/412), ranges (206/416, multipart for several), and a body streamed from the file.
 * {@link #decide} settles status and headers from metadata and the stored digest alone, never by reading
 * the file; {@link #respond} then opens the file only when the decision has a body.
 */
public final class DownloadResponder {

    static final String CACHE_CONTROL = "max-age=0, private, must-revalidate";
    static final String OCTET_STREAM = "application/octet-stream";

    /**
     * What to answer, before any byte of the file is read.
     *
     * @param status the status code
     * @param headers the headers other than Content-Type and Content-Length, in order
     * @param contentType the Content-Type, or {@code null} for none (304)
     * @param contentLength the Content-Length, or {@code -1} for none (304)
     * @param error the JSON body of a 412 or 416, else {@code null}
     * @param segments the file regions of the body; empty when the answer has no file body
     */
    record Decision(int status, Map<String, String> headers, @Nullable String contentType, long contentLength,
                    @Nullable JsonBody error, List<ResponseBody.Segment> segments) {
        boolean readsFile() {
            return !segments.isEmpty();
        }
    }

    private record FormattedDate(long epochSecond, String text) {
    }

    private final Clock clock;
    private final LongSupplier random;
    /** The last {@code Date} value: responses mostly fall in the same second as the one before. */
    private volatile FormattedDate lastDate = new FormattedDate(Long.MIN_VALUE, "");

    public DownloadResponder(Clock clock, LongSupplier random) {
        this.clock = clock;
        this.random = random;
    }

    /** The file's digest if it is ready; empty while a store hashes it in the background. */
    private static @Nullable Sha256 sha256(ModelFile file) throws IOException {
        return file.readySha256().orElse(null);
    }

    /**
     * Answers for {@code file}.
     *
     * @throws NoSuchFileException before anything is sent, when the file vanished or changed since it was found
     */
    public void respond(ModelFile file, String fileName, RegistryHttpRequest request, RegistryHttpResponse response,
                 boolean head) throws IOException {
        Decision d = decide(sha256(file), file.metadata(), fileName, request, head);
        // opened before any header is set: a file deleted or replaced since it was found can still be looked up again
        SeekableByteChannel channel = d.readsFile() ? file.open() : null;
        boolean handedOver = false;
        try {
            d.headers().forEach(response::header);
            JsonBody error = d.error();
            if (error != null) {
                error.send(response, d.status());
                return;
            }
            response.status(d.status());
            if (d.contentType() != null) {
                response.contentType(d.contentType());
            }
            if (d.contentLength() >= 0) {
                response.contentLength(d.contentLength());
            }
            if (channel == null) {
                closeEmpty(response);
            } else {
                handedOver = true; // send owns the channel from here, and closes it whatever happens
                response.send(new ResponseBody(channel, d.segments()));
            }
        } finally {
            if (channel != null && !handedOver) {
                channel.close();
            }
        }
    }

    /**
     * Status, headers and body plan for a file with digest {@code sha} and {@code meta}; without a digest
     * (still being computed) there is no ETag, and validation goes by {@code Last-Modified} alone.
     */
    Decision decide(@Nullable Sha256 sha, FileMetadata meta, String fileName, RegistryHttpRequest request, boolean head) {
        EntityTag etag = sha == null ? null : EntityTag.strong(sha.hex());
        Instant lastModified = meta.lastModified().truncatedTo(ChronoUnit.SECONDS);
        long size = meta.size();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Date", now());
        switch (Preconditions.evaluate(request, etag, lastModified, true)) {
            case FAILED -> {
                return new Decision(412, headers, null, -1, JsonBody.message("412 Precondition Failed"), List.of());
            }
            case NOT_MODIFIED -> {
                validators(headers, etag, lastModified);
                return new Decision(304, headers, null, -1, null, List.of());
            }
            case PROCEED -> representation(headers, etag, lastModified, sha, fileName);
        }
        List<String> rangeHeaders = request.headers("Range");
        RangeRequest range = !head && rangeHeaders.size() == 1 && Preconditions.rangeAllowed(request, etag, lastModified)
                ? RangeRequest.parse(rangeHeaders.get(0), size)
                : RangeRequest.whole();
        return switch (range.kind()) {
            case UNSATISFIABLE -> {
                headers.put("Content-Range", "bytes */" + size);
                yield new Decision(416, headers, null, -1, JsonBody.message("416 Range Not Satisfiable"), List.of());
            }
            case WHOLE -> head
                    ? new Decision(200, headers, OCTET_STREAM, size, null, List.of())
                    : withBody(200, headers, OCTET_STREAM, List.of(new ResponseBody.Segment(new byte[0], 0, size)));
            case PARTIAL -> {
                if (range.ranges().size() == 1) {
                    ByteRange r = range.ranges().get(0);
                    headers.put("Content-Range", r.contentRange(size));
                    yield withBody(206, headers, OCTET_STREAM, List.of(new ResponseBody.Segment(new byte[0], r.first(), r.length())));
                }
                String boundary = String.format("%016x%016x", random.getAsLong(), random.getAsLong());
                yield withBody(206, headers, "multipart/byteranges; boundary=" + boundary,
                        multipart(range.ranges(), size, boundary));
            }
        };
    }

    private static Decision withBody(int status, Map<String, String> headers, String type, List<ResponseBody.Segment> body) {
        return new Decision(status, headers, type, ResponseBody.lengthOf(body), null, body);
    }

    private String now() {
        Instant instant = clock.instant();
        FormattedDate d = lastDate;
        if (d.epochSecond() != instant.getEpochSecond()) {
            d = new FormattedDate(instant.getEpochSecond(), HttpDates.format(instant));
            lastDate = d;
        }
        return d.text();
    }

    private static List<ResponseBody.Segment> multipart(List<ByteRange> ranges, long size, String boundary) {
        List<ResponseBody.Segment> segments = new ArrayList<>();
        for (int i = 0; i < ranges.size(); i++) {
            ByteRange r = ranges.get(i);
            String head = (i == 0 ? "" : "\r\n") + "--" + boundary + "\r\n"
                    + "Content-Type: " + OCTET_STREAM + "\r\n"
                    + "Content-Range: " + r.contentRange(size) + "\r\n\r\n";
            segments.add(new ResponseBody.Segment(head.getBytes(StandardCharsets.US_ASCII), r.first(), r.length()));
        }
        segments.add(new ResponseBody.Segment(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII), 0, 0));
        return segments;
    }

    /** The validators, which a 304 repeats. */
    private static void validators(Map<String, String> headers, @Nullable EntityTag etag, Instant lastModified) {
        if (etag != null) {
            headers.put("ETag", etag.header());
        }
        headers.put("Last-Modified", HttpDates.format(lastModified));
        // as GitLab: a shared cache must not keep a file fetched with a token header it does not recognise
        headers.put("Cache-Control", CACHE_CONTROL);
    }

    /** Everything a 200 says about the file besides its body, which 206 and 416 carry too. */
    private static void representation(Map<String, String> headers, @Nullable EntityTag etag, Instant lastModified,
                                       @Nullable Sha256 sha, String fileName) {
        validators(headers, etag, lastModified);
        headers.put("Accept-Ranges", "bytes");
        if (sha != null) {
            headers.put("X-Checksum-Sha256", sha.hex());
            headers.put("Repr-Digest", "sha-256=:" + sha.base64() + ":");
        }
        headers.put("Content-Disposition", ContentDisposition.attachment(fileName));
    }

    public static void closeEmpty(RegistryHttpResponse response) throws IOException {
        try (OutputStream out = response.body()) {
            out.flush();
        } catch (IOException e) {
            throw new ClientDisconnectedException(e);
        }
    }
}
