package org.mlregistry.storage.fs;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.mlregistry.core.model.Sha256;

/**
 * Copies an upload's body to a file while computing its SHA-256 on a second thread: SHA-256 runs at about
 * 400 MiB/s in Java 17 here, as slow as the disk, so hashing on the request thread made an upload take the
 * sum of the two. Two buffers of {@value #BUFFER} bytes alternate: while one is hashed (in order, one chunk
 * at a time) and written, the next is filled from the client. Each buffer is filled before it is written: a
 * container hands the body over in small chunks, and a system call and a digest update per chunk cost more
 * than the copy. The bytes go to the disk as they come ({@link EarlyWriteback}).
 */
final class HashingCopy {

    static final int BUFFER = 1024 * 1024;

    /** Daemon threads, one busy per upload at most; idle ones end after a minute (the cached pool's rule). */
    private static final ExecutorService HASHERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "mlregistry-upload-hash");
        t.setDaemon(true);
        return t;
    });

    /** What failed: reading the body (the client's problem) or writing the file (the storage's). */
    static final class WriteFailure extends IOException {
        private static final long serialVersionUID = 1L;
        @SuppressWarnings("serial") // never serialized: caught by the caller of copy()
        private final IOException failure;

        WriteFailure(IOException cause) {
            super(cause.getMessage(), cause);
            this.failure = cause;
        }

        IOException cause() {
            return failure;
        }
    }

    private HashingCopy() {
    }

    /**
     * Copies {@code in} to {@code out} to its end; the digest of every byte copied.
     *
     * @throws WriteFailure wrapping the exception of a failed write; the body's own read errors propagate as they are
     */
    static Sha256 copy(InputStream in, FileChannel out) throws IOException {
        MessageDigest sha = Sha256.newDigest();
        byte[][] buffers = {new byte[BUFFER], new byte[BUFFER]};
        Future<?> hashing = CompletableFuture.completedFuture(null);
        EarlyWriteback writeback = new EarlyWriteback(out);
        boolean copied = false;
        long written = 0;
        try {
            int i = 0;
            for (int n; (n = in.readNBytes(buffers[i], 0, BUFFER)) > 0; i ^= 1) {
                byte[] chunk = buffers[i];
                int length = n;
                // the digest takes the chunks in order; and the buffer filled next was hashed by this wait
                await(hashing);
                hashing = HASHERS.submit(() -> sha.update(chunk, 0, length));
                ByteBuffer bytes = ByteBuffer.wrap(chunk, 0, length);
                try {
                    while (bytes.hasRemaining()) {
                        out.write(bytes);
                    }
                    written += length;
                    writeback.written(written);
                } catch (IOException e) {
                    throw new WriteFailure(e);
                }
            }
            await(hashing);
            try {
                writeback.finish();
            } catch (IOException e) {
                throw new WriteFailure(e);
            }
            copied = true;
        } finally {
            if (!copied) {
                hashing.cancel(false); // a failed copy: its digest is not wanted
                writeback.abandon();
            }
        }
        return Sha256.of(sha.digest());
    }

    private static void await(Future<?> hashing) throws IOException {
        try {
            hashing.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hashing an upload");
        } catch (ExecutionException e) {
            throw new IllegalStateException("hashing in memory cannot fail", e.getCause());
        }
    }
}
