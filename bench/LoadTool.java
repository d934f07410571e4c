import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load for the bundled server: N concurrent clients for a bounded time, mixing GET, HEAD, ranged GET,
 * conditional GET, PUT (replacing a file) and bad requests (traversal, missing file, unknown token, wrong
 * method). Every kind of request has the statuses it may get; anything else is counted as an unexpected
 * status, by kind. Prints requests, errors, p50 and p99, and the server's heap, threads and open file
 * descriptors (from its Prometheus /metrics) before and after. Loopback only; bounded in time.
 *
 * <pre>java bench/LoadTool.java BASE_URL TOKEN SECONDS CLIENTS FILES</pre>
 * (bench/load.sh starts a server and runs it.)
 */
public class LoadTool {

    record Kind(String name, int weight, Set<Integer> expected) {
    }

    static final List<Kind> KINDS = List.of(
            new Kind("GET", 40, Set.of(200)),
            new Kind("HEAD", 15, Set.of(200)),
            new Kind("ranged GET", 15, Set.of(206)),
            new Kind("conditional GET", 10, Set.of(304)),
            new Kind("PUT replace", 10, Set.of(200, 201)),
            new Kind("traversal", 3, Set.of(400)),
            new Kind("missing file", 3, Set.of(404)),
            new Kind("unknown token", 2, Set.of(401)),
            new Kind("wrong method", 2, Set.of(405)));

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String token = args[1];
        long seconds = Long.parseLong(args[2]);
        int clients = Integer.parseInt(args[3]);
        int files = Integer.parseInt(args[4]);
        if (!URI.create(base).getHost().matches("127\\.0\\.0\\.1|localhost|\\[::1\\]")) {
            throw new IllegalArgumentException("loopback only");
        }
        String origin = base.substring(0, base.indexOf("/api/v4"));
        String route = base + "/projects/1/packages/ml_models/1/files/";
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Map<Integer, String> etags = new ConcurrentHashMap<>();
        for (int i = 0; i < files; i++) {
            HttpResponse<Void> head = client.send(HttpRequest.newBuilder(URI.create(route + name(i)))
                    .header("PRIVATE-TOKEN", token).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding());
            etags.put(i, head.headers().firstValue("ETag").orElseThrow(() -> new IllegalStateException("no ETag: " + head)));
        }
        Map<String, Double> before = serverFigures(client, origin);

        Map<String, LongAdder> counts = new ConcurrentHashMap<>();
        Map<String, LongAdder> unexpected = new ConcurrentHashMap<>();
        List<long[]> latencies = Collections.synchronizedList(new ArrayList<>());
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int id = c;
            Thread t = new Thread(() -> {
                long[] mine = new long[1 << 20];
                int n = 0;
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (System.nanoTime() < deadline) {
                    Kind kind = pick(random);
                    int file = random.nextInt(files);
                    HttpRequest request = request(kind, route, token, file, etags.get(file), id);
                    long started = System.nanoTime();
                    String outcome;
                    try {
                        int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                        outcome = kind.expected().contains(status) ? null : "status " + status;
                    } catch (IOException e) {
                        outcome = e.getClass().getSimpleName();
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (n < mine.length) {
                        mine[n++] = System.nanoTime() - started;
                    }
                    counts.computeIfAbsent(kind.name(), k -> new LongAdder()).increment();
                    if (outcome != null) {
                        unexpected.computeIfAbsent(kind.name() + ": " + outcome, k -> new LongAdder()).increment();
                    }
                }
                latencies.add(java.util.Arrays.copyOf(mine, n));
            }, "load-" + c);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        Thread.sleep(1000); // let the server finish what it was writing
        Map<String, Double> after = serverFigures(client, origin);

        long[] all = latencies.stream().flatMapToLong(java.util.Arrays::stream).sorted().toArray();
        long total = counts.values().stream().mapToLong(LongAdder::sum).sum();
        long bad = unexpected.values().stream().mapToLong(LongAdder::sum).sum();
        System.out.printf("load: %d clients for %d s against %s: %d requests (%.0f/s), %d unexpected%n", clients, seconds, base,
                total, total / (double) seconds, bad);
        new TreeMap<>(counts).forEach((k, v) -> System.out.printf("  %-16s %9d%n", k, v.sum()));
        new TreeMap<>(unexpected).forEach((k, v) -> System.out.printf("  UNEXPECTED %s: %d%n", k, v.sum()));
        System.out.printf("latency: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", at(all, 0.50), at(all, 0.99), at(all, 1.0));
        System.out.printf("server before: heap used %.1f MiB, live threads %.0f, open fds %.0f%n",
                before.get("heap") / 1048576, before.get("threads"), before.get("fds"));
        System.out.printf("server after:  heap used %.1f MiB, live threads %.0f, open fds %.0f%n",
                after.get("heap") / 1048576, after.get("threads"), after.get("fds"));
        System.exit(bad == 0 ? 0 : 1);
    }

    static String name(int i) {
        return String.format("load-%03d.bin", i);
    }

    static Kind pick(ThreadLocalRandom random) {
        int total = KINDS.stream().mapToInt(Kind::weight).sum();
        int r = random.nextInt(total);
        for (Kind k : KINDS) {
            r -= k.weight();
            if (r < 0) {
                return k;
            }
        }
        throw new AssertionError();
    }

    static HttpRequest request(Kind kind, String route, String token, int file, String etag, int client) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(route + name(file))).timeout(Duration.ofSeconds(30))
                .header("PRIVATE-TOKEN", token);
        return switch (kind.name()) {
            case "GET" -> b.GET().build();
            case "HEAD" -> b.method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
            case "ranged GET" -> b.header("Range", "bytes=100-1099").GET().build();
            case "conditional GET" -> b.header("If-None-Match", etag).GET().build();
            case "PUT replace" -> HttpRequest.newBuilder(URI.create(route + "scratch/client-" + client + ".bin"))
                    .timeout(Duration.ofSeconds(30)).header("PRIVATE-TOKEN", token)
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[16 * 1024])).build();
            case "traversal" -> HttpRequest.newBuilder(URI.create(route + "..%2F..%2Fregistry.json")).header("PRIVATE-TOKEN", token)
                    .GET().build();
            case "missing file" -> HttpRequest.newBuilder(URI.create(route + "missing-" + file + ".bin")).header("PRIVATE-TOKEN", token)
                    .GET().build();
            case "unknown token" -> HttpRequest.newBuilder(URI.create(route + name(file))).header("PRIVATE-TOKEN", "glpat-unknown")
                    .GET().build();
            case "wrong method" -> b.method("DELETE", HttpRequest.BodyPublishers.noBody()).build();
            default -> throw new AssertionError(kind);
        };
    }

    static double at(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))] / 1e6;
    }

    /** Heap used, live threads and open file descriptors, from the server's Prometheus text. */
    static Map<String, Double> serverFigures(HttpClient client, String origin) throws Exception {
        String text = client.send(HttpRequest.newBuilder(URI.create(origin + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double heap = 0;
        Matcher m = Pattern.compile("(?m)^jvm_memory_used_bytes\\{area=\"heap\"[^}]*\\} (\\S+)$").matcher(text);
        while (m.find()) {
            heap += Double.parseDouble(m.group(1));
        }
        return Map.of("heap", heap, "threads", single(text, "jvm_threads_live_threads"), "fds", single(text, "process_files_open_files"));
    }

    static double single(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(2)) : Double.NaN;
    }
}
