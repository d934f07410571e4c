import java.nio.file.Path;
import org.eclipse.jetty.ee10.servlet.ResourceServlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The benchmark's reference: Jetty 12's own ResourceServlet with its defaults, serving a folder.
 * Run with the example server's jar on the class path (it contains Jetty):
 * java -cp examples/target/mlregistry-server.jar bench/JettyResourceServer.java DIR PORT
 */
public class JettyResourceServer {
    public static void main(String[] args) throws Exception {
        Server server = new Server(new QueuedThreadPool());
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(Integer.parseInt(args[1]));
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.setBaseResourceAsPath(Path.of(args[0]));
        ServletHolder holder = new ServletHolder("resources", ResourceServlet.class);
        holder.setInitParameter("dirAllowed", "false");
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/");
        server.setHandler(context);
        server.start();
        System.out.println("Listening on http://127.0.0.1:" + connector.getLocalPort() + "/");
        server.join();
    }
}
