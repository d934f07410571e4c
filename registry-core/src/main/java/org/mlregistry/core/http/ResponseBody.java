package org.mlregistry.core.http;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A response body made of file regions, each preceded by a few literal bytes (the part headers of a
 * {@code multipart/byteranges} body; empty for a plain download). Adapters pull it with
 * {@link #fill(ByteBuffer)} into one buffer at a time, so a body of any size costs one buffer. Owns the
 * channel: {@link #close()} releases it, idempotently.
 *
 * <p>Threading: not thread-safe; one writer at a time (servlet async callbacks are serialized).
 */
public final class ResponseBody implements Closeable {

    /**
     * Literal bytes followed by a region of the file.
     *
     * @param prefix bytes to send first (may be empty); never modified
     * @param offset where the region starts in the file
     * @param length how many bytes of the file follow (may be 0)
     */
    @SuppressWarnings("ArrayRecordComponent") // built by the registry, read by this class; equality is never used
    public record Segment(byte[] prefix, long offset, long length) {
        public Segment {
            Objects.requireNonNull(prefix, "prefix");
            if (offset < 0 || length < 0) {
                throw new IllegalArgumentException("negative offset or length");
            }
        }
    }

    /** The file; {@code null} for a body held in memory. */
    private final @Nullable SeekableByteChannel channel;
    private final List<Segment> segments;
    private final long length;
    private int segment;
    private int prefixDone;
    private long regionDone;
    private boolean closed;

    /** The regions {@code segments} of the file {@code channel}, which the body now owns. */
    public ResponseBody(SeekableByteChannel channel, List<Segment> segments) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.segments = List.copyOf(segments);
        this.length = lengthOf(this.segments);
    }

    private ResponseBody(byte[] bytes) {
        this.channel = null;
        this.segments = List.of(new Segment(bytes, 0, 0));
        this.length = bytes.length;
    }

    /** A body the registry composed in memory (a JSON answer): sent as a file's is, so no thread waits on a slow reader. */
    public static ResponseBody of(byte[] bytes) {
        return new ResponseBody(bytes);
    }

    /** Whether this is a stored file's content (a download), rather than an answer composed in memory. */
    public boolean isDownload() {
        return channel != null;
    }

    /** How many bytes {@code segments} add up to. */
    public static long lengthOf(List<Segment> segments) {
        long total = 0;
        for (Segment s : segments) { // on every download: no stream
            total += s.prefix().length + s.length();
        }
        return total;
    }

    /** Total length in bytes: the {@code Content-Length}. */
    public long length() {
        return length;
    }

    /**
     * Puts the next bytes into {@code dst} (as many as fit, from the file by positional reads).
     *
     * @return false when the body is complete and nothing was added
     * @throws IOException when the file cannot be read or turns out shorter than announced
     */
    public boolean fill(ByteBuffer dst) throws IOException {
        boolean added = false;
        while (dst.hasRemaining() && segment < segments.size()) {
            Segment s = segments.get(segment);
            if (prefixDone < s.prefix().length) {
                int n = Math.min(dst.remaining(), s.prefix().length - prefixDone);
                dst.put(s.prefix(), prefixDone, n);
                prefixDone += n;
                added = true;
                continue;
            }
            if (regionDone < s.length()) {
                int limit = dst.limit();
                if (dst.remaining() > s.length() - regionDone) {
                    dst.limit(dst.position() + (int) (s.length() - regionDone));
                }
                int n;
                try {
                    n = read(dst, s.offset() + regionDone);
                } finally {
                    dst.limit(limit);
                }
                if (n < 0) {
                    throw new IOException("file ended " + (s.length() - regionDone) + " bytes early");
                }
                regionDone += n;
                added |= n > 0;
                continue;
            }
            segment++;
            prefixDone = 0;
            regionDone = 0;
        }
        return added;
    }

    private int read(ByteBuffer dst, long position) throws IOException {
        SeekableByteChannel channel = Objects.requireNonNull(this.channel, "a body in memory has no file regions");
        if (channel instanceof FileChannel file) {
            return file.read(dst, position); // positional: no shared file pointer
        }
        channel.position(position);
        return channel.read(dst);
    }

    /** Writes the whole body to {@code out}, blocking, through the heap {@code buffer}. */
    public void writeTo(OutputStream out, ByteBuffer buffer) throws IOException {
        while (true) {
            buffer.clear();
            if (!fill(buffer)) {
                return;
            }
            buffer.flip();
            try {
                out.write(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
            } catch (IOException e) {
                throw new ClientDisconnectedException(e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            if (channel != null) {
                channel.close();
            }
        }
    }
}
