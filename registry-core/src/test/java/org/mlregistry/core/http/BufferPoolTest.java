package org.mlregistry.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BufferPoolTest {

    @Test
    void handsOutClearedBuffersOfItsSizeAndKindAndReusesReturnedOnes() {
        BufferPool pool = new BufferPool(1024, 4, true);
        ByteBuffer first = pool.acquire();
        ByteBuffer second = pool.acquire();
        assertThat(first.capacity()).isEqualTo(1024);
        assertThat(first.isDirect()).isTrue();
        first.put((byte) 1).flip();
        pool.release(first);
        ByteBuffer again = pool.acquire();
        assertThat(again).isSameAs(first);
        assertThat(again.position()).isZero();
        assertThat(again.remaining()).isEqualTo(1024);
        assertThat(pool.acquire()).isNotSameAs(first).isNotSameAs(second);
    }

    @Test
    void keepsAtMostItsBoundAndNoBufferOfAnotherSizeOrKind() {
        BufferPool pool = new BufferPool(512, 3, false);
        List<ByteBuffer> buffers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            buffers.add(pool.acquire());
        }
        buffers.forEach(pool::release);
        assertThat(pool.pooled()).isEqualTo(3);
        pool.release(ByteBuffer.allocate(256));
        pool.release(ByteBuffer.allocateDirect(512));
        assertThat(pool.pooled()).isEqualTo(3);
    }

    @Test
    void neverHandsOneBufferToTwoHoldersAtOnceUnderConcurrency() throws Exception {
        BufferPool pool = new BufferPool(64, 8, false);
        // by identity: two cleared buffers of the same size are equal
        Set<ByteBuffer> held = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(threads.submit(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        ByteBuffer b = pool.acquire();
                        if (!held.add(b)) {
                            return false;
                        }
                        held.remove(b);
                        pool.release(b);
                    }
                    return true;
                }));
            }
            for (Future<Boolean> r : results) {
                assertThat(r.get(60, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(pool.pooled()).isBetween(1, 8);
    }
}
