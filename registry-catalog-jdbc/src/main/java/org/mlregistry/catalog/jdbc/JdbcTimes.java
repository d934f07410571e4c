package org.mlregistry.catalog.jdbc;

import java.time.Instant;

/** How the catalog stores times: epoch nanoseconds (UTC) in a {@code BIGINT}, exact and the same in every database. */
final class JdbcTimes {

    private JdbcTimes() {
    }

    static long nanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}
