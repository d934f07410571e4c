package org.mlregistry.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The syncs an upload's copy starts while the body still arrives: they happen, and a failed one fails the
 * copy (the kernel reports a lost write-back once per file, so the final force alone could miss it). A disk
 * that fails a sync has no real peer here: the channel below stands in for the file.
 */
class EarlyWritebackTest {

    private static final long SIZE = 3 * EarlyWriteback.EVERY + 5;

    @Test
    void syncsWhileTheBodyIsStillBeingCopied() throws IOException {
        DiscardingChannel out = new DiscardingChannel(false);
        HashingCopy.copy(new ZeroStream(SIZE), out);
        assertThat(out.written).isEqualTo(SIZE);
        assertThat(out.forces.get()).as("background syncs during the copy").isBetween(1, 3);
    }

    @Test
    void aFailedBackgroundSyncFailsTheCopyAsAWriteFailure() {
        DiscardingChannel out = new DiscardingChannel(true);
        assertThatThrownBy(() -> HashingCopy.copy(new ZeroStream(SIZE), out))
                .isInstanceOf(HashingCopy.WriteFailure.class)
                .hasMessageContaining("EIO");
    }

    @Test
    void aSmallCopyStartsNoSync() throws IOException {
        DiscardingChannel out = new DiscardingChannel(false);
        HashingCopy.copy(new ZeroStream(EarlyWriteback.EVERY - 1), out);
        assertThat(out.forces.get()).isZero();
    }

    /** {@code n} zero bytes. */
    private static final class ZeroStream extends InputStream {
        private long left;

        ZeroStream(long n) {
            this.left = n;
        }

        @Override
        public int read() {
            return left-- > 0 ? 0 : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            left -= n;
            return n;
        }
    }

    /** Counts what is written and forced; a failing one fails every force as a lost write-back would. */
    private static final class DiscardingChannel extends FileChannel {
        private final boolean forceFails;
        private final AtomicInteger forces = new AtomicInteger();
        private volatile long written;

        DiscardingChannel(boolean forceFails) {
            this.forceFails = forceFails;
        }

        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            src.position(src.limit());
            written += n;
            return n;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            forces.incrementAndGet();
            if (forceFails) {
                throw new IOException("EIO: write-back failed");
            }
        }

        @Override
        public int read(ByteBuffer dst) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long position() {
            return written;
        }

        @Override
        public FileChannel position(long newPosition) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long size() {
            return written;
        }

        @Override
        public FileChannel truncate(long size) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(ByteBuffer dst, long position) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int write(ByteBuffer src, long position) {
            throw new UnsupportedOperationException();
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) {
            throw new UnsupportedOperationException();
        }

        @Override
        protected void implCloseChannel() {
            // nothing held
        }
    }
}
