package org.mlregistry.core.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock a test moves by hand, starting at {@link RegistryFixture#NOW}: for what the registry promises about time
 * (cache lifetimes, expiries) without waiting for it. Shipped in the core test-jar.
 *
 * <p>Threading: safe for concurrent use.
 */
public final class MutableClock extends Clock {

    private volatile Instant now = RegistryFixture.NOW;

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }

    /** Moves the clock on by {@code d}. */
    public void advance(Duration d) {
        now = now.plus(d);
    }
}
