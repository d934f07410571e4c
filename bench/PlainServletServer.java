import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The platform ceiling for small files: a plain Jetty 12 ee10 HttpServlet answering every GET with the same
 * 4 KiB from memory (no file, no auth, no headers beyond Content-Type and Content-Length). Whatever the
 * registry does per request costs the difference between this and it. Run with the example server's jar on
 * the class path: java -cp examples/target/mlregistry-server.jar bench/PlainServletServer.java PORT
 */
public class PlainServletServer {
    public static void main(String[] args) throws Exception {
        byte[] body = new byte[4096];
        Server server = new Server(new QueuedThreadPool());
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(Integer.parseInt(args[0]));
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder("plain", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.setContentType("application/octet-stream");
                resp.setContentLength(body.length);
                resp.getOutputStream().write(body);
            }
        }), "/");
        server.setHandler(context);
        server.start();
        System.out.println("Listening on http://127.0.0.1:" + connector.getLocalPort() + "/");
        server.join();
    }
}
