package org.mlregistry.storage.s3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * An object read as a seekable channel: one ranged {@code GetObject} streamed from the current position,
 * opened again only when the reader seeks elsewhere. Every request carries {@code If-Match} with the
 * object's S3 ETag as it was found, so bytes of a replaced object can never be mixed into the answer: the
 * replacement shows as {@link NoSuchFileException} (before anything was sent, the caller looks it up
 * again) or as a failed read (mid-body, the client sees a broken connection, never a short 200).
 *
 * <p>Threading: not thread-safe; one reader.
 */
final class S3ObjectChannel implements SeekableByteChannel {

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final long size;
    private final String objectEtag;
    private final byte[] chunk = new byte[64 * 1024];
    private long position;
    private @Nullable InputStream stream;
    private long streamPosition = -1;
    private boolean open = true;

    S3ObjectChannel(S3Client s3, String bucket, String key, long size, String objectEtag) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.size = size;
        this.objectEtag = objectEtag;
    }

    /** Opens the stream at position 0 at once, so that a replaced object is found before any header is sent. */
    S3ObjectChannel start() throws IOException {
        if (size > 0) {
            stream();
        }
        return this;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        ensureOpen();
        if (position >= size) {
            return -1;
        }
        InputStream in = stream();
        int n = in.read(chunk, 0, (int) Math.min(Math.min(dst.remaining(), chunk.length), size - position));
        if (n < 0) {
            throw new IOException("object " + key + " ended " + (size - position) + " bytes early");
        }
        dst.put(chunk, 0, n);
        position += n;
        streamPosition += n;
        return n;
    }

    private InputStream stream() throws IOException {
        InputStream in = stream;
        if (in != null && streamPosition == position) {
            return in;
        }
        closeStream();
        try {
            ResponseInputStream<GetObjectResponse> opened = s3.getObject(GetObjectRequest.builder().bucket(bucket).key(key)
                    .range("bytes=" + position + "-" + (size - 1)).ifMatch(objectEtag).build());
            stream = opened;
            streamPosition = position;
            return opened;
        } catch (S3Exception e) {
            if (e.statusCode() == 404 || e.statusCode() == 412) {
                throw new NoSuchFileException(key, null, "changed or deleted since it was found");
            }
            throw rethrown(e);
        } catch (SdkException e) {
            throw rethrown(e);
        }
    }

    /** Before the first byte went out this is a 503 answer; mid-body it breaks the connection, as it must. */
    private IOException rethrown(SdkException e) {
        return S3ModelFileStore.failure("GetObject " + key, e);
    }

    private void closeStream() {
        InputStream in = stream;
        stream = null;
        if (in instanceof ResponseInputStream<?> r) {
            r.abort(); // do not drain the rest of a range nobody will read
        }
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public long position() throws ClosedChannelException {
        ensureOpen();
        return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws ClosedChannelException {
        ensureOpen();
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position");
        }
        position = newPosition;
        return this;
    }

    @Override
    public long size() throws ClosedChannelException {
        ensureOpen();
        return size;
    }

    @Override
    public SeekableByteChannel truncate(long newSize) {
        throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
        closeStream();
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }
}
