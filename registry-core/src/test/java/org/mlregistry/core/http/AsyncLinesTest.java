package org.mlregistry.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AsyncLinesTest {

    @Test
    void writesEveryLineFromManyThreadsEachThreadsInItsOrder() throws Exception {
        List<String> written = Collections.synchronizedList(new ArrayList<>());
        AsyncLines lines = new AsyncLines(written::add, "test-lines");
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(threads.submit(() -> {
                    for (int i = 0; i < 5_000; i++) {
                        lines.accept(thread + " " + i);
                    }
                }));
            }
            for (Future<?> d : done) {
                d.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        lines.close(); // writes what is still queued
        assertThat(written).hasSize(8 * 5_000);
        int[] next = new int[8];
        for (String line : written) {
            String[] parts = line.split(" ");
            int thread = Integer.parseInt(parts[0]);
            assertThat(Integer.parseInt(parts[1])).as("line of thread %d", thread).isEqualTo(next[thread]++);
        }
    }

    @Test
    void dropsLinesBeyondItsCapacityWhileTheSinkIsStuckInsteadOfWaiting() throws Exception {
        CountDownLatch inSink = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> written = Collections.synchronizedList(new ArrayList<>());
        AsyncLines lines = new AsyncLines(line -> {
            inSink.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            written.add(line);
        }, "test-lines");
        lines.accept("first");
        assertThat(inSink.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < AsyncLines.CAPACITY + 5; i++) {
            lines.accept("line " + i); // never blocks: the writer is stuck in the sink
        }
        release.countDown();
        lines.close();
        assertThat(written).hasSize(1 + AsyncLines.CAPACITY);
        assertThat(written.get(written.size() - 1)).isEqualTo("line " + (AsyncLines.CAPACITY - 1));
    }
}
