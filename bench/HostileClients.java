import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The high findings of issue 22, reproduced against a running server (one scenario per fresh server), each with a
 * normal client probing meanwhile: a new connection every 300 ms GETs a public 60 KB file. After the hostile clients
 * are gone it measures, over 5 s, how many of the server's threads still use CPU and how much CPU the server uses.
 * Scenarios:
 * <ul>
 *   <li>{@code like}: 50 anonymous model searches whose filter is {@code name LIKE '%%...%x'} (30 {@code %}), each
 *   abandoned after 2 s; then one 200 KB literal pattern in a GET body to a project that does not exist, and one of
 *   200,000 {@code _}.</li>
 *   <li>{@code trickle}: 230 anonymous connections with MLflow requests of each method (DELETE, PATCH, a GET with a
 *   body, POST, each with and without {@code Expect: 100-continue}) announcing 100,000 bytes and sending one every
 *   3 s.</li>
 *   <li>{@code pipeline}: 230 connections pipelining 200 {@code GET registered-models/search} with the body
 *   {@code {}} each, with a 4 KiB receive window, never reading.</li>
 *   <li>{@code stall}: 2 such non-reading connections, then a reading client pipelining 50 searches: how long it
 *   takes.</li>
 *   <li>{@code tags} (M3): 60 models with as many tags of 5,000 characters as the server takes (200 asked), then 6
 *   anonymous searches of up to 1,000 models at once, 5 times: their statuses and answer sizes.</li>
 * </ul>
 *
 * <pre>java HostileClients BASE_URL SERVER_PID PROJECT_PATH SCENARIO SECONDS [TOKEN]</pre>
 * (bench/hostile.sh starts a server per scenario and runs it.)
 */
public class HostileClients {

    record Probe(int status, long millis) {
    }

    static URI base;
    static String mlflow;

    public static void main(String[] args) throws Exception {
        base = URI.create(args[0]);
        long pid = Long.parseLong(args[1]);
        String project = args[2];
        String scenario = args[3];
        long seconds = Long.parseLong(args[4]);
        mlflow = "/api/v4/projects/" + project + "/ml/mlflow/api/2.0/mlflow/";
        String file = "/api/v4/projects/" + project + "/packages/ml_models/1/files/page.bin";
        List<Probe> probes = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        Thread prober = new Thread(() -> {
            while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(seconds)) {
                probes.add(probe(base.resolve(file)));
                sleep(300);
            }
        }, "prober");
        List<Socket> sockets = new CopyOnWriteArrayList<>();
        prober.start();
        String extra = switch (scenario) {
            case "like" -> like(sockets);
            case "trickle" -> trickle(sockets);
            case "pipeline" -> pipeline(sockets, 230, 200);
            case "stall" -> stall(sockets, file);
            case "tags" -> tags(args.length > 5 ? args[5] : "");
            default -> throw new IllegalArgumentException("unknown scenario " + scenario);
        };
        prober.join();
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // closing is best effort
            }
        }
        List<Long> times = probes.stream().map(Probe::millis).sorted().toList();
        long failed = probes.stream().filter(p -> p.status() != 200).count();
        System.out.printf("%s: probes %d, median %d ms, max %d ms, not 200: %d%s%n", scenario, times.size(),
                times.isEmpty() ? -1 : times.get(times.size() / 2), times.isEmpty() ? -1 : times.get(times.size() - 1), failed,
                extra.isEmpty() ? "" : "; " + extra);
        sleep(2000); // the server notices the closed connections
        long[] before = cpu(pid);
        sleep(5000);
        long[] after = cpu(pid);
        long busy = 0;
        for (int i = 0; i < Math.min(before.length, after.length); i++) {
            busy += after[i] - before[i] > 10 ? 1 : 0; // more than 0.1 s of CPU in 5 s
        }
        System.out.printf("%s: after the clients left, in 5 s: %d threads of the server used more than 0.1 s of CPU;"
                + " the server used %.2f s of CPU%n", scenario, busy, (total(after) - total(before)) / 100.0);
    }

    /** Per-thread CPU ticks (utime + stime) of the process, by thread id order; the process total last. */
    static long[] cpu(long pid) throws IOException {
        List<Path> tasks;
        try (var s = Files.list(Path.of("/proc/" + pid + "/task"))) {
            tasks = s.sorted().toList();
        }
        long[] out = new long[tasks.size() + 1];
        for (int i = 0; i < tasks.size(); i++) {
            out[i] = ticks(tasks.get(i).resolve("stat"));
        }
        out[tasks.size()] = ticks(Path.of("/proc/" + pid + "/stat"));
        return out;
    }

    static long total(long[] cpu) {
        return cpu[cpu.length - 1];
    }

    static long ticks(Path stat) {
        try {
            String s = Files.readString(stat);
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0; // the thread ended
        }
    }

    static String like(List<Socket> sockets) throws Exception {
        String pattern = "name LIKE '" + "%".repeat(30) + "x'";
        for (int i = 0; i < 50; i++) {
            Socket s = new Socket(base.getHost(), base.getPort());
            sockets.add(s);
            s.getOutputStream().write(("GET " + mlflow + "registered-models/search?filter="
                    + URLEncoder.encode(pattern, StandardCharsets.UTF_8) + " HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        }
        sleep(2000);
        for (Socket s : sockets) {
            s.close(); // the client gives up
        }
        sockets.clear();
        String literal = "{\"filter\": \"name LIKE '" + "a".repeat(200_000) + "'\"}";
        String missing = base.getPath().isEmpty() ? "" : "";
        long t = System.nanoTime();
        int status = request("GET", "/api/v4/projects/no%2Fsuch/ml/mlflow/api/2.0/mlflow/registered-models/search" + missing,
                literal, 120);
        long literalMillis = (System.nanoTime() - t) / 1_000_000;
        String underscores = "{\"filter\": \"name LIKE '" + "_".repeat(200_000) + "'\"}";
        t = System.nanoTime();
        int status2 = request("GET", mlflow + "registered-models/search", underscores, 120);
        long underscoreMillis = (System.nanoTime() - t) / 1_000_000;
        return "200 KB literal pattern to a missing project: " + status + " in " + literalMillis + " ms; 200,000 '_': "
                + status2 + " in " + underscoreMillis + " ms";
    }

    static String tags(String token) throws Exception {
        String tagsOf200 = "[" + String.join(",", java.util.stream.IntStream.range(0, 200)
                .mapToObj(i -> "{\"key\":\"k" + i + "\",\"value\":\"" + "v".repeat(5000) + "\"}").toList()) + "]";
        String tagsOf100 = "[" + String.join(",", java.util.stream.IntStream.range(0, 100)
                .mapToObj(i -> "{\"key\":\"k" + i + "\",\"value\":\"" + "v".repeat(5000) + "\"}").toList()) + "]";
        int refused = 0;
        for (int i = 0; i < 60; i++) {
            int status = post(mlflow + "registered-models/create", "{\"name\":\"tagged-" + i + "\",\"tags\":" + tagsOf200 + "}", token);
            if (status != 200) {
                refused++;
                post(mlflow + "registered-models/create", "{\"name\":\"tagged-" + i + "\",\"tags\":" + tagsOf100 + "}", token);
            }
        }
        java.util.Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        long largest = 0;
        long t = System.nanoTime();
        for (int round = 0; round < 5; round++) {
            List<Thread> searches = new ArrayList<>();
            List<long[]> results = Collections.synchronizedList(new ArrayList<>());
            for (int c = 0; c < 6; c++) {
                Thread th = new Thread(() -> results.add(search(mlflow + "registered-models/search?max_results=1000")));
                searches.add(th);
                th.start();
            }
            for (Thread th : searches) {
                th.join();
            }
            for (long[] r : results) {
                statuses.merge((int) r[0], 1, Integer::sum);
                largest = Math.max(largest, r[1]);
            }
        }
        return "models with 200 tags refused: " + refused + " of 60 (created with 100 instead); 30 searches in "
                + (System.nanoTime() - t) / 1_000_000 + " ms: statuses " + statuses + ", largest answer " + largest + " bytes";
    }

    static int post(String path, String json, String token) throws IOException {
        HttpURLConnection c = (HttpURLConnection) base.resolve(path).toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Authorization", "Bearer " + token);
        c.setRequestProperty("Content-Type", "application/json");
        try (OutputStream out = c.getOutputStream()) {
            out.write(json.getBytes(StandardCharsets.UTF_8));
        }
        int status = c.getResponseCode();
        try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
            if (in != null) {
                in.transferTo(OutputStream.nullOutputStream());
            }
        }
        return status;
    }

    /** Status and body size of a GET. */
    static long[] search(String path) {
        try {
            HttpURLConnection c = (HttpURLConnection) base.resolve(path).toURL().openConnection();
            c.setReadTimeout(120_000);
            int status = c.getResponseCode();
            long size;
            try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
                size = in == null ? 0 : in.transferTo(OutputStream.nullOutputStream());
            }
            return new long[] {status, size};
        } catch (IOException e) {
            return new long[] {-1, 0};
        }
    }

    static String trickle(List<Socket> sockets) throws Exception {
        String[][] kinds = {
            {"DELETE", "registered-models/delete"}, {"PATCH", "registered-models/update"}, {"GET", "registered-models/search"},
            {"POST", "registered-models/create"},
        };
        int answered = 0;
        for (int i = 0; i < 230; i++) {
            String[] k = kinds[i % kinds.length];
            boolean expect = (i / kinds.length) % 2 == 1;
            Socket s = new Socket(base.getHost(), base.getPort());
            sockets.add(s);
            s.getOutputStream().write((k[0] + " " + mlflow + k[1] + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + (expect ? "Expect: 100-continue\r\n" : "") + "Content-Length: 100000\r\n\r\n{")
                    .getBytes(StandardCharsets.US_ASCII));
        }
        Thread trickler = new Thread(() -> {
            while (true) {
                sleep(3000);
                for (Socket s : sockets) {
                    try {
                        s.getOutputStream().write(' ');
                    } catch (IOException e) {
                        // cut off by the server: allowed
                    }
                }
            }
        }, "trickler");
        trickler.setDaemon(true);
        trickler.start();
        return "";
    }

    static String pipeline(List<Socket> sockets, int clients, int requests) throws Exception {
        byte[] pipelined = ("GET " + mlflow + "registered-models/search HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 2\r\n\r\n{}").repeat(requests).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < clients; i++) {
            Socket s = new Socket();
            s.setReceiveBufferSize(4096);
            s.connect(new InetSocketAddress(base.getHost(), base.getPort()));
            sockets.add(s);
            s.getOutputStream().write(pipelined); // never read
        }
        return "";
    }

    static String stall(List<Socket> sockets, String file) throws Exception {
        pipeline(sockets, 2, 2000);
        sleep(1000);
        long t = System.nanoTime();
        try (Socket reader = new Socket(base.getHost(), base.getPort())) {
            reader.setSoTimeout(120_000);
            byte[] requests = ("GET " + mlflow + "registered-models/search HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
                    .repeat(50).getBytes(StandardCharsets.US_ASCII);
            reader.getOutputStream().write(requests);
            InputStream in = reader.getInputStream();
            int seen = 0;
            byte[] buf = new byte[65536];
            String tail = "";
            while (seen < 50) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                String chunk = tail + new String(buf, 0, n, StandardCharsets.ISO_8859_1);
                int idx = 0;
                while ((idx = chunk.indexOf("HTTP/1.1 ", idx)) >= 0) {
                    seen++;
                    idx += 9;
                }
                tail = chunk.substring(Math.max(0, chunk.length() - 8));
            }
            return "a reading client pipelining 50 searches beside 2 non-reading ones: " + seen + " answers in "
                    + (System.nanoTime() - t) / 1_000_000 + " ms";
        }
    }

    static int request(String method, String path, String body, int timeoutSeconds) throws IOException {
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(timeoutSeconds * 1000);
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            s.getOutputStream().write((method + " " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: "
                    + b.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(b);
            byte[] head = s.getInputStream().readNBytes(12);
            String line = new String(head, StandardCharsets.US_ASCII);
            return line.length() >= 12 ? Integer.parseInt(line.substring(9, 12)) : -1;
        } catch (java.net.SocketTimeoutException e) {
            return -1;
        }
    }

    static Probe probe(URI uri) {
        long t = System.nanoTime();
        int status;
        try {
            HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
            c.setConnectTimeout(10_000);
            c.setReadTimeout(10_000);
            status = c.getResponseCode();
            try (InputStream in = c.getInputStream()) {
                in.transferTo(OutputStream.nullOutputStream());
            }
        } catch (IOException e) {
            status = -1;
        }
        return new Probe(status, (System.nanoTime() - t) / 1_000_000);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
