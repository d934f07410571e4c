import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The platform ceiling for small files: a plain Jetty 12 ee10 HttpServlet answering every GET with the same
 * 4 KiB from memory (no file, no auth, no headers beyond Content-Type and Content-Length). Whatever the
 * registry does per request costs the difference between this and it. With "same-headers" it also sends the
 * eight headers a registry download carries besides Content-Type and Content-Length (Date, ETag,
 * Last-Modified, Cache-Control, Accept-Ranges, X-Checksum-Sha256, Repr-Digest, Content-Disposition), as
 * constants, and writes the body asynchronously as the registry does: the ceiling for a servlet bound to the
 * registry's contract. Run with the example server's jar on the class path:
 * java -cp examples/target/mlregistry-server.jar bench/PlainServletServer.java PORT [same-headers]
 */
public class PlainServletServer {
    private static final String SHA = "4b1d73f9f5bee788fb56b2111920691ba3e267d6a16bff5a6632c9d36e1b8c9b";

    public static void main(String[] args) throws Exception {
        byte[] body = new byte[4096];
        boolean sameHeaders = args.length > 1 && args[1].equals("same-headers");
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
        Server server = new Server(new QueuedThreadPool());
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(Integer.parseInt(args[0]));
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        ServletHolder holder = new ServletHolder("plain", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                if (!sameHeaders) {
                    resp.setContentType("application/octet-stream");
                    resp.setContentLength(body.length);
                    resp.getOutputStream().write(body);
                    return;
                }
                resp.setHeader("Date", date);
                resp.setHeader("ETag", "\"" + SHA + "\"");
                resp.setHeader("Last-Modified", date);
                resp.setHeader("Cache-Control", "max-age=0, private, must-revalidate");
                resp.setHeader("Accept-Ranges", "bytes");
                resp.setHeader("X-Checksum-Sha256", SHA);
                resp.setHeader("Repr-Digest", "sha-256=:Sx1z+fW+54j7VrIRGSBpG6PiZ9aha/9aZjLJ024bjJs=:");
                resp.setHeader("Content-Disposition", "attachment; filename=\"small.bin\"; filename*=UTF-8''small.bin");
                resp.setContentType("application/octet-stream");
                resp.setContentLength(body.length);
                AsyncContext async = req.startAsync();
                ServletOutputStream out = resp.getOutputStream();
                out.setWriteListener(new WriteListener() {
                    private boolean written;

                    @Override
                    public void onWritePossible() throws IOException {
                        while (out.isReady()) {
                            if (written) {
                                async.complete();
                                return;
                            }
                            written = true;
                            out.write(body);
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        async.complete();
                    }
                });
            }
        });
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/");
        server.setHandler(context);
        server.start();
        System.out.println("Listening on http://127.0.0.1:" + connector.getLocalPort() + "/");
        server.join();
    }
}
