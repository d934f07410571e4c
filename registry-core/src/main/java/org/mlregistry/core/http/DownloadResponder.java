package org.mlregistry.core.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.mlregistry.core.Refusal;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.model.ByteRange;
import org.mlregistry.core.model.FileMetadata;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.spi.ModelFile;

/**
 * Answers GET and HEAD for a found file with full HTTP content semantics: validators and digests,
 * preconditions (304/412), ranges (206/416, multipart for several), and a body streamed from the file.
 * Everything up to the body is decided from metadata and the stored digest, never by reading the file.
 */
final class DownloadResponder {

    static final String CACHE_CONTROL = "max-age=0, private, must-revalidate";

    private record FormattedDate(long epochSecond, String text) {
    }

    private final Clock clock;
    private final LongSupplier random;
    /** The last {@code Date} value: responses mostly fall in the same second as the one before. */
    private volatile FormattedDate lastDate = new FormattedDate(Long.MIN_VALUE, "");

    DownloadResponder(Clock clock, LongSupplier random) {
        this.clock = clock;
        this.random = random;
    }

    void respond(ModelFile file, String fileName, RegistryHttpRequest request, RegistryHttpResponse response,
                 boolean head) throws IOException {
        FileMetadata meta = file.metadata();
        Sha256 sha = orNotFound(file::sha256);
        EntityTag etag = EntityTag.strong(sha.hex());
        Instant lastModified = meta.lastModified().truncatedTo(ChronoUnit.SECONDS);
        long size = meta.size();

        response.header("Date", now());
        Preconditions.Result precondition = Preconditions.evaluate(request, etag, lastModified, true);
        if (precondition == Preconditions.Result.FAILED) {
            JsonResponses.send(response, 412, JsonBody.message("412 Precondition Failed"));
            return;
        }
        if (precondition == Preconditions.Result.NOT_MODIFIED) {
            validators(response, etag, lastModified);
            response.status(304);
            closeEmpty(response);
            return;
        }
        List<String> rangeHeaders = request.headers("Range");
        RangeRequest range = !head && rangeHeaders.size() == 1 && Preconditions.rangeAllowed(request, etag, lastModified)
                ? RangeRequest.parse(rangeHeaders.get(0), size)
                : RangeRequest.whole();
        if (range.kind() == RangeRequest.Kind.UNSATISFIABLE) {
            representation(response, etag, lastModified, sha, fileName);
            response.header("Content-Range", "bytes */" + size);
            JsonResponses.send(response, 416, JsonBody.message("416 Range Not Satisfiable"));
            return;
        }
        if (head) {
            representation(response, etag, lastModified, sha, fileName);
            response.status(200);
            response.header("Content-Type", "application/octet-stream");
            response.header("Content-Length", Long.toString(size));
            closeEmpty(response);
            return;
        }
        // opened before any header is set: a file deleted since it was found is still a clean 404
        SeekableByteChannel channel = orNotFound(file::open);
        representation(response, etag, lastModified, sha, fileName);
        List<ResponseBody.Segment> segments = new ArrayList<>();
        if (range.kind() == RangeRequest.Kind.WHOLE) {
            response.status(200);
            response.header("Content-Type", "application/octet-stream");
            segments.add(new ResponseBody.Segment(new byte[0], 0, size));
        } else if (range.ranges().size() == 1) {
            ByteRange r = range.ranges().get(0);
            response.status(206);
            response.header("Content-Type", "application/octet-stream");
            response.header("Content-Range", r.contentRange(size));
            segments.add(new ResponseBody.Segment(new byte[0], r.first(), r.length()));
        } else {
            response.status(206);
            String boundary = String.format("%016x%016x", random.getAsLong(), random.getAsLong());
            response.header("Content-Type", "multipart/byteranges; boundary=" + boundary);
            segments.addAll(multipart(range.ranges(), size, boundary));
        }
        ResponseBody body = new ResponseBody(channel, segments);
        response.header("Content-Length", Long.toString(body.length()));
        response.send(body);
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
                    + "Content-Type: application/octet-stream\r\n"
                    + "Content-Range: " + r.contentRange(size) + "\r\n\r\n";
            segments.add(new ResponseBody.Segment(head.getBytes(StandardCharsets.US_ASCII), r.first(), r.length()));
        }
        segments.add(new ResponseBody.Segment(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII), 0, 0));
        return segments;
    }

    /** The validators, which a 304 repeats. */
    private static void validators(RegistryHttpResponse response, EntityTag etag, Instant lastModified) {
        response.header("ETag", etag.header());
        response.header("Last-Modified", HttpDates.format(lastModified));
        // as GitLab: a shared cache must not keep a file fetched with a token header it does not recognise
        response.header("Cache-Control", CACHE_CONTROL);
    }

    /** Everything a 200 says about the file besides its body, which 206 and 416 carry too. */
    private static void representation(RegistryHttpResponse response, EntityTag etag, Instant lastModified, Sha256 sha,
                                       String fileName) {
        validators(response, etag, lastModified);
        response.header("Accept-Ranges", "bytes");
        response.header("X-Checksum-Sha256", sha.hex());
        response.header("Repr-Digest", "sha-256=:" + sha.base64() + ":");
        response.header("Content-Disposition", ContentDisposition.attachment(fileName));
    }

    private interface FileAccess<T> {
        T get() throws IOException;
    }

    /** A file that vanished since it was found is absent, not a server error. */
    private static <T> T orNotFound(FileAccess<T> access) throws IOException {
        try {
            return access.get();
        } catch (NoSuchFileException e) {
            throw new RegistryException(Refusal.NOT_FOUND);
        }
    }

    private static void closeEmpty(RegistryHttpResponse response) throws IOException {
        try (OutputStream out = response.body()) {
            out.flush();
        } catch (IOException e) {
            throw new ClientDisconnectedException(e);
        }
    }
}
