package org.mlregistry.server;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/** The bundled server as the socket-level tests start it (in this JVM, on a free port, quiet) and their clean-up. */
final class TestServers {

    private TestServers() {
    }

    /** Starts the server with the configuration file {@code config}. */
    static RegistryServer start(Path config) throws Exception {
        return RegistryServer.start(ServerOptions.parse(List.of("--config", config.toString(), "--port", "0")),
                new PrintStream(OutputStream.nullOutputStream()));
    }

    /** Closes every socket, as far as each can be, and forgets them. */
    static void closeAll(Collection<Socket> sockets) {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // closing is best effort
            }
        }
        sockets.clear();
    }
}
