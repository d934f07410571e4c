package org.mlregistry.core.http.base;

import org.mlregistry.core.http.RegistryHttpRequest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Conditional request evaluation in the order of RFC 9110 §13.2.2: {@code If-Match}, then
 * {@code If-Unmodified-Since} (only without {@code If-Match}), then {@code If-None-Match}, then
 * {@code If-Modified-Since} (only without {@code If-None-Match}, only for GET and HEAD), and finally
 * {@code If-Range}, which decides whether a {@code Range} applies at all.
 */
final class Preconditions {

    enum Result { PROCEED, NOT_MODIFIED, FAILED }

    private Preconditions() {
    }

    /**
     * @param etag the current strong ETag, or {@code null} while the file has none (only {@code *} matches then)
     * @param lastModified the current modification time, truncated to seconds
     * @param safe whether the method is GET or HEAD
     */
    static Result evaluate(RegistryHttpRequest request, @Nullable EntityTag etag, Instant lastModified, boolean safe) {
        String ifMatch = joined(request.headers("If-Match"));
        if (ifMatch != null) {
            if (!matchesAny(ifMatch, etag, true)) {
                return Result.FAILED;
            }
        } else {
            Optional<Instant> since = singleDate(request.headers("If-Unmodified-Since"));
            if (since.isPresent() && lastModified.isAfter(since.get())) {
                return Result.FAILED;
            }
        }
        String ifNoneMatch = joined(request.headers("If-None-Match"));
        if (ifNoneMatch != null) {
            if (matchesAny(ifNoneMatch, etag, false)) {
                return safe ? Result.NOT_MODIFIED : Result.FAILED;
            }
        } else if (safe) {
            Optional<Instant> since = singleDate(request.headers("If-Modified-Since"));
            if (since.isPresent() && !lastModified.isAfter(since.get())) {
                return Result.NOT_MODIFIED;
            }
        }
        return Result.PROCEED;
    }

    /**
     * Whether a {@code Range} may be honoured given {@code If-Range}: true without the header, true when it
     * is the current strong ETag or exactly the current {@code Last-Modified}, false otherwise (whole file).
     */
    static boolean rangeAllowed(RegistryHttpRequest request, @Nullable EntityTag etag, Instant lastModified) {
        List<String> values = request.headers("If-Range");
        if (values.isEmpty()) {
            return true;
        }
        if (values.size() > 1) {
            return false;
        }
        String v = values.get(0).strip();
        if (v.startsWith("\"") || v.startsWith("W/")) {
            return etag != null && EntityTag.parse(v).map(t -> t.strongMatch(etag)).orElse(false);
        }
        return HttpDates.parse(v).map(lastModified::equals).orElse(false);
    }

    /** {@code *}, or a match by the given comparison; a malformed list matches nothing. */
    private static boolean matchesAny(String header, @Nullable EntityTag etag, boolean strong) {
        if (header.strip().equals("*")) {
            return true;
        }
        if (etag == null) {
            return false;
        }
        List<EntityTag> tags = EntityTag.parseList(header);
        return tags != null && tags.stream().anyMatch(t -> strong ? t.strongMatch(etag) : t.weakMatch(etag));
    }

    private static @Nullable String joined(List<String> values) {
        return values.isEmpty() ? null : String.join(",", values);
    }

    /** A date field is ignored when absent, repeated or not a valid HTTP date. */
    private static Optional<Instant> singleDate(List<String> values) {
        return values.size() == 1 ? HttpDates.parse(values.get(0)) : Optional.empty();
    }
}
