package org.mlregistry.core.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Values computed once per key for the hot path of a download (formatted dates and headers, parsed routes),
 * at most {@code max} of them: when full it is emptied, a bound rather than an eviction policy, since the keys
 * a registry sees over and over (its files) are few next to its requests and refill it at once.
 *
 * <p>Threading: safe for concurrent use; two threads may compute the same value, and either is kept.
 */
final class BoundedCache<K, V> {

    private final Map<K, V> values = new ConcurrentHashMap<>();
    private final int max;

    BoundedCache(int max) {
        this.max = max;
    }

    /** The value kept for {@code key}, computed and kept first if there is none. */
    V get(K key, Function<K, V> compute) {
        V value = values.get(key);
        if (value == null) {
            value = compute.apply(key);
            put(key, value);
        }
        return value;
    }

    @Nullable V get(K key) {
        return values.get(key);
    }

    void put(K key, V value) {
        if (values.size() >= max) {
            values.clear();
        }
        values.put(key, value);
    }

    int size() {
        return values.size();
    }
}
