package org.mlregistry.core.util;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A map for what the registry remembers per file, version or path to save work on later requests (formatted
 * headers, parsed routes, checked files, Hugging Face commits), holding at most {@code max} entries whatever
 * clients send: when full it is emptied, a bound rather than an eviction policy, since the keys a registry
 * sees over and over (its files) are few next to its requests and refill it at once.
 *
 * <p>Threading: safe for concurrent use; two threads may compute the same value, and either is kept.
 */
public final class BoundedCache<K, V> {

    private final Map<K, V> values = new ConcurrentHashMap<>();
    private final int max;

    /** A cache of at most {@code max} entries. */
    public BoundedCache(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1");
        }
        this.max = max;
    }

    /** The value kept for {@code key}, computed and kept first if there is none. */
    public V get(K key, Function<K, V> compute) {
        V value = values.get(key);
        if (value == null) {
            value = compute.apply(key);
            put(key, value);
        }
        return value;
    }

    /** The value kept for {@code key}, or {@code null}. */
    public @Nullable V get(K key) {
        return values.get(key);
    }

    /** Keeps {@code value} for {@code key}, emptying the cache first when it is full. */
    public void put(K key, V value) {
        if (values.size() >= max) {
            values.clear();
        }
        values.put(key, value);
    }

    /** Forgets {@code key}: what was kept for it is no longer true. */
    public void remove(K key) {
        values.remove(key);
    }

    /** Forgets {@code key} if it still holds {@code value}, not a newer value another thread kept. */
    public void remove(K key, V value) {
        values.remove(key, value);
    }

    /** How many entries are kept now. */
    public int size() {
        return values.size();
    }
}
