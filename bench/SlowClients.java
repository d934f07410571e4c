import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Slow clients against a running server, as the issue describes them: N authenticated uploads that announce
 * 1,000,000 bytes and send one byte every 1.5 s, and N anonymous connections that pipeline 200 GETs each of a
 * public file with a 4 KiB receive window and never read. From the first connection on, a normal client (a new
 * connection each time) GETs the same file every 300 ms; prints each probe's time while the slow clients open,
 * then the probes' median and maximum. Exit code 1
 * when a probe does not get 200 with the whole file. Loopback only; bounded in time.
 *
 * <pre>java bench/SlowClients.java BASE_URL TOKEN FILE_PATH FILE_SIZE CLIENTS SECONDS</pre>
 * (bench/slow-clients.sh starts a server and runs it.)
 */
public class SlowClients {

    record Probe(long atMillis, int status, long bytes, long millis) {
    }

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        String token = args[1];
        String path = args[2];
        long size = Long.parseLong(args[3]);
        int clients = Integer.parseInt(args[4]);
        long seconds = Long.parseLong(args[5]);
        String dir = path.substring(0, path.lastIndexOf('/') + 1);
        List<Socket> uploads = new CopyOnWriteArrayList<>();
        List<Socket> downloads = new CopyOnWriteArrayList<>();
        List<Probe> probes = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();

        Thread prober = new Thread(() -> {
            while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(seconds)) {
                probes.add(probe(base.resolve(path), start));
                sleep(300);
            }
        }, "prober");
        prober.start();
        Thread trickler = new Thread(() -> {
            while (true) {
                sleep(1500);
                for (Socket s : uploads) {
                    try {
                        s.getOutputStream().write('x');
                    } catch (IOException e) {
                        // the server may cut a trickling upload off: allowed
                    }
                }
            }
        }, "trickler");
        trickler.setDaemon(true);
        trickler.start();

        byte[] pipelined = ("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").repeat(200).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < clients; i++) {
            Socket upload = new Socket(base.getHost(), base.getPort());
            upload.getOutputStream().write(("PUT " + dir + "slow-" + i + ".bin HTTP/1.1\r\nHost: x\r\nPRIVATE-TOKEN: " + token
                    + "\r\nContent-Length: 1000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            uploads.add(upload);
            Socket download = new Socket();
            download.setReceiveBufferSize(4096); // before connecting, so the window stays small
            download.connect(new InetSocketAddress(base.getHost(), base.getPort()));
            download.getOutputStream().write(pipelined); // never read
            downloads.add(download);
        }
        long opened = millisSince(start);
        prober.join();

        boolean failed = false;
        List<Long> times = new ArrayList<>();
        for (Probe p : probes) {
            times.add(p.millis());
            boolean ok = p.status() == 200 && p.bytes() == size;
            failed |= !ok;
            if (p.atMillis() <= opened + 1000 || !ok) {
                System.out.printf("probe at %5d ms: %d, %d bytes, %d ms%s%n", p.atMillis(), p.status(), p.bytes(), p.millis(),
                        ok ? "" : "  UNEXPECTED");
            }
        }
        Collections.sort(times);
        System.out.printf("%d slow uploads and %d non-reading pipelining downloads opened in %d ms%n", clients, clients, opened);
        System.out.printf("normal GETs (a new connection every 300 ms for %d s): %d, median %d ms, max %d ms%n",
                seconds, times.size(), times.get(times.size() / 2), times.get(times.size() - 1));
        if (System.getenv("SLOW_HOLD_FILE") != null) { // the caller looks at the server while they are still connected
            java.nio.file.Files.writeString(java.nio.file.Path.of(System.getenv("SLOW_HOLD_FILE")), "done");
            sleep(3000);
        }
        for (Socket s : uploads) {
            s.close();
        }
        for (Socket s : downloads) {
            s.close();
        }
        System.exit(failed ? 1 : 0);
    }

    /** One GET on a new connection: status, bytes and time to the last byte. */
    static Probe probe(URI uri, long start) {
        long at = millisSince(start);
        long t0 = System.nanoTime();
        try {
            HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
            c.setConnectTimeout(20_000);
            c.setReadTimeout(20_000);
            int status = c.getResponseCode();
            long bytes;
            try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
                bytes = in == null ? 0 : in.transferTo(OutputStream.nullOutputStream());
            }
            c.disconnect();
            return new Probe(at, status, bytes, millisSince(t0));
        } catch (IOException e) {
            return new Probe(at, -1, 0, millisSince(t0));
        }
    }

    static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
