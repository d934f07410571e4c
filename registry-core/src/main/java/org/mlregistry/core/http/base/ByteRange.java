package org.mlregistry.core.http.base;

/**
 * An inclusive range of byte positions within a file of known length, already clamped to it.
 *
 * @param first the first byte's position
 * @param last the last byte's position (inclusive, at least {@code first})
 */
record ByteRange(long first, long last) {
    ByteRange {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("invalid byte range " + first + "-" + last);
        }
    }

    /** How many bytes the range covers. */
    long length() {
        return last - first + 1;
    }

    /** The {@code Content-Range} value for this range of a file of {@code size} bytes. */
    String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }
}
