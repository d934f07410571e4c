package org.mlregistry.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Pipelined requests are handled a few at a time, in order and all of them; a normal request and an upload never
 * wait for them. Real HTTP/1.1 over sockets against a Jetty server whose handler records how many pipelined
 * requests it handles at once.
 */
class PipelinedRequestsTest {

    private Server server;
    private final AtomicInteger pipelinedNow = new AtomicInteger();
    private final AtomicInteger pipelinedMax = new AtomicInteger();
    private final AtomicInteger pipelinedDone = new AtomicInteger();
    private final CountDownLatch hold = new CountDownLatch(1);
    private final CountDownLatch holding = new CountDownLatch(1);
    private final CountDownLatch uploaded = new CountDownLatch(1);
    private final AtomicBoolean queuedStarted = new AtomicBoolean();
    private final SwitchablePool pool = new SwitchablePool();

    /** A thread pool that can be told to refuse work, as a stopping server's does. */
    private static final class SwitchablePool extends QueuedThreadPool {
        volatile boolean refusing;

        @Override
        public void execute(Runnable job) {
            if (refusing) {
                throw new RejectedExecutionException("stopping");
            }
            super.execute(job);
        }
    }

    @AfterEach
    void stop() throws Exception {
        hold.countDown();
        pool.refusing = false;
        if (server != null) {
            server.stop();
        }
    }

    /** Paths: /p pipelined (30 ms), /last the last of a batch, /hold waits for the test, /queued, /normal, PUT /upload. */
    private int start(int permits) throws Exception {
        server = new Server(pool);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new PipelinedRequests(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String path = Request.getPathInContext(request);
                switch (path) {
                    case "/p" -> {
                        pipelinedMax.accumulateAndGet(pipelinedNow.incrementAndGet(), Math::max);
                        Thread.sleep(30);
                        pipelinedNow.decrementAndGet();
                        pipelinedDone.incrementAndGet();
                    }
                    case "/hold" -> {
                        holding.countDown();
                        hold.await(30, TimeUnit.SECONDS);
                    }
                    case "/queued" -> queuedStarted.set(true);

                    case "/upload" -> {
                        Content.Source.asString(request, StandardCharsets.US_ASCII);
                        uploaded.countDown();
                    }
                    default -> {
                        // /last and /normal: answered at once
                    }
                }
                String query = request.getHttpURI().getQuery();
                Content.Sink.write(response, true, path + (query == null ? "" : "?" + query), callback);
                return true;
            }
        }, permits));
        server.start();
        return connector.getLocalPort();
    }

    @Test
    void handlesPipelinedRequestsAtMostPermitsAtATimeAndAnswersThemAllInOrder() throws Exception {
        int port = start(2);
        List<Socket> sockets = new ArrayList<>();
        for (int c = 0; c < 6; c++) {
            Socket s = new Socket("127.0.0.1", port);
            sockets.add(s);
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < 9; i++) {
                batch.append("GET /p?c=").append(c).append("&i=").append(i).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
            }
            batch.append("GET /last HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            s.getOutputStream().write(batch.toString().getBytes(StandardCharsets.US_ASCII));
        }
        // a normal client is answered while the pipelined requests (6 x 9 x 30 ms over 2 permits) still wait
        String normal = exchange(port, "GET /normal HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(normal).startsWith("HTTP/1.1 200").endsWith("/normal");
        assertThat(pipelinedDone.get()).as("pipelined requests handled before the normal one was answered").isLessThan(6 * 9);

        for (int c = 0; c < 6; c++) {
            String answers = readAll(sockets.get(c));
            List<String> bodies = new ArrayList<>();
            for (String part : answers.split("HTTP/1.1 ")) {
                if (!part.isEmpty()) {
                    assertThat(part).startsWith("200");
                    bodies.add(part.substring(part.lastIndexOf("\r\n\r\n") + 4));
                }
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                expected.add("/p?c=" + c + "&i=" + i);
            }
            expected.add("/last");
            assertThat(bodies).as("connection %d", c).containsExactlyElementsOf(expected);
            sockets.get(c).close();
        }
        assertThat(pipelinedMax.get()).isEqualTo(2);
    }

    @Test
    void anUploadIsNotQueuedBehindPipelinedRequestsWhileThoseWait() throws Exception {
        int port = start(1);
        try (Socket holder = new Socket("127.0.0.1", port); Socket queued = new Socket("127.0.0.1", port);
             Socket upload = new Socket("127.0.0.1", port)) {
            holder.getOutputStream().write(("GET /hold HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /last HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(holding.await(10, TimeUnit.SECONDS)).as("the first pipelined request holds the only permit").isTrue();
            queued.getOutputStream().write(("GET /queued HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /last HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            // an upload with a request pipelined behind it: its body is what its connection holds, and it is not queued
            upload.getOutputStream().write(("PUT /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nab"
                    + "GET /last HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(uploaded.await(10, TimeUnit.SECONDS)).as("the upload is handled while the permit is held").isTrue();
            assertThat(queuedStarted).as("the pipelined request waits for the permit").isFalse();

            hold.countDown();
            assertThat(readAll(queued)).contains("/queued").endsWith("/last");
            assertThat(readAll(holder)).contains("/hold").endsWith("/last");
            assertThat(readAll(upload)).contains("/upload").endsWith("/last");
        }
    }

    @Test
    void aRequestWhoseOwnBodyIsAllItsConnectionHoldsIsNotQueuedButOnePipelinedBehindOthersIs() throws Exception {
        int port = start(1);
        try (Socket holder = new Socket("127.0.0.1", port); Socket queued = new Socket("127.0.0.1", port)) {
            holder.getOutputStream().write(("GET /hold HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /last HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(holding.await(10, TimeUnit.SECONDS)).as("the first pipelined request holds the only permit").isTrue();
            // an MLflow-like POST whose JSON came with its headers, nothing behind it: answered while the permit is held
            String single = exchange(port, "POST /normal HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
            assertThat(single).startsWith("HTTP/1.1 200").endsWith("/normal");
            // the same with a request pipelined behind it: waits for the permit
            queued.getOutputStream().write(("POST /queued HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"
                    + "GET /last HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(300); // a queued request must not start: give it the time it would need
            assertThat(queuedStarted).as("the pipelined request with a body waits for the permit").isFalse();
            hold.countDown();
            assertThat(readAll(queued)).contains("/queued").endsWith("/last");
            assertThat(readAll(holder)).contains("/hold").endsWith("/last");
        }
    }

    /**
     * A pipelined request still waiting when the server stops (its executor takes no more work) is answered 503, not
     * the 500 a failed callback got (with its stack trace logged: 27 of them in an adversarial run).
     */
    @Test
    void aQueuedRequestIsAnsweredUnavailableWhenTheServerStops() throws Exception {
        int port = start(1);
        try (Socket holder = new Socket("127.0.0.1", port); Socket queued = new Socket("127.0.0.1", port)) {
            holder.getOutputStream().write(("GET /hold HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /last HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(holding.await(10, TimeUnit.SECONDS)).as("the first pipelined request holds the only permit").isTrue();
            queued.getOutputStream().write(("GET /queued HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /last HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(300); // queued behind the permit
            pool.refusing = true;
            hold.countDown(); // its release finds the executor refusing
            String answer = readAll(queued);
            pool.refusing = false;
            assertThat(answer).startsWith("HTTP/1.1 503").doesNotContain("HTTP/1.1 500");
            assertThat(queuedStarted).isFalse();
        }
    }

    private static String exchange(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return readAll(s);
        }
    }

    /** Everything up to the server's close (each batch ends with Connection: close). */
    private static String readAll(Socket s) throws IOException {
        s.setSoTimeout(20_000);
        InputStream in = s.getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
}
