package org.mlregistry.core.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
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

    private final Clock clock;
    private final LongSupplier random;

    DownloadResponder(Clock clock, LongSupplier random) {
        this.clock = clock;
        this.random = random;
    }

    void respond(ModelFile file, String fileName, RegistryHttpRequest request, RegistryHttpResponse response,
                 boolean head) throws IOException {
        FileMetadata meta = file.metadata();
        Sha256 sha = file.sha256();
        EntityTag etag = EntityTag.strong(sha.hex());
        Instant lastModified = meta.lastModified().truncatedTo(ChronoUnit.SECONDS);
        long size = meta.size();

        response.header("Date", HttpDates.format(clock.instant()));
        response.header("ETag", etag.header());
        response.header("Last-Modified", HttpDates.format(lastModified));
        // as GitLab: a shared cache must not keep a file fetched with a token header it does not recognise
        response.header("Cache-Control", CACHE_CONTROL);
        switch (Preconditions.evaluate(request, etag, lastModified, true)) {
            case NOT_MODIFIED:
                response.status(304);
                closeEmpty(response);
                return;
            case FAILED:
                JsonResponses.send(response, 412, JsonBody.message("412 Precondition Failed"));
                return;
            default:
                break;
        }
        response.header("Accept-Ranges", "bytes");
        response.header("X-Checksum-Sha256", sha.hex());
        response.header("Repr-Digest", "sha-256=:" + sha.base64() + ":");
        response.header("Content-Disposition", ContentDisposition.attachment(fileName));

        List<String> ranges = request.headers("Range");
        RangeRequest range = RangeRequest.whole();
        if (!head && ranges.size() == 1 && Preconditions.rangeAllowed(request, etag, lastModified)) {
            range = RangeRequest.parse(ranges.get(0), size);
        }
        switch (range.kind()) {
            case UNSATISFIABLE:
                response.header("Content-Range", "bytes */" + size);
                JsonResponses.send(response, 416, JsonBody.message("416 Range Not Satisfiable"));
                return;
            case PARTIAL:
                sendRanges(file, range.ranges(), size, response);
                return;
            default:
                response.status(200);
                response.header("Content-Type", "application/octet-stream");
                response.header("Content-Length", Long.toString(size));
                if (head) {
                    closeEmpty(response);
                } else {
                    response.send(new ResponseBody(file.open(), List.of(new ResponseBody.Segment(new byte[0], 0, size))));
                }
        }
    }

    private void sendRanges(ModelFile file, List<ByteRange> ranges, long size, RegistryHttpResponse response)
            throws IOException {
        response.status(206);
        List<ResponseBody.Segment> segments = new ArrayList<>();
        if (ranges.size() == 1) {
            ByteRange r = ranges.get(0);
            response.header("Content-Type", "application/octet-stream");
            response.header("Content-Range", r.contentRange(size));
            segments.add(new ResponseBody.Segment(new byte[0], r.first(), r.length()));
        } else {
            String boundary = String.format("%016x%016x", random.getAsLong(), random.getAsLong());
            response.header("Content-Type", "multipart/byteranges; boundary=" + boundary);
            for (int i = 0; i < ranges.size(); i++) {
                ByteRange r = ranges.get(i);
                String head = (i == 0 ? "" : "\r\n") + "--" + boundary + "\r\n"
                        + "Content-Type: application/octet-stream\r\n"
                        + "Content-Range: " + r.contentRange(size) + "\r\n\r\n";
                segments.add(new ResponseBody.Segment(head.getBytes(StandardCharsets.US_ASCII), r.first(), r.length()));
            }
            segments.add(new ResponseBody.Segment(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII), 0, 0));
        }
        ResponseBody body = new ResponseBody(file.open(), segments);
        response.header("Content-Length", Long.toString(body.length()));
        response.send(body);
    }

    private static void closeEmpty(RegistryHttpResponse response) throws IOException {
        try (OutputStream out = response.body()) {
            out.flush();
        } catch (IOException e) {
            throw new ClientDisconnectedException(e);
        }
    }
}
