package org.mlregistry.core.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Computed once per key while kept; never more than its bound, however many keys arrive. */
class BoundedCacheTest {

    @Test
    void computesAKeysValueOnce() {
        BoundedCache<Integer, String> cache = new BoundedCache<>(10);
        AtomicInteger computed = new AtomicInteger();
        for (int i = 0; i < 5; i++) {
            assertThat(cache.get(7, k -> "v" + k + "#" + computed.incrementAndGet())).isEqualTo("v7#1");
        }
        assertThat(computed).hasValue(1);
    }

    @Test
    void holdsNoMoreThanItsBound() {
        BoundedCache<Integer, Integer> cache = new BoundedCache<>(100);
        for (int i = 0; i < 1000; i++) {
            assertThat(cache.get(i, k -> k * 2)).isEqualTo(i * 2);
            assertThat(cache.size()).isLessThanOrEqualTo(100);
        }
    }
}
