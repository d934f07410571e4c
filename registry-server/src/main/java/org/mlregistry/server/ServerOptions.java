package org.mlregistry.server;

import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The bundled server's command line: {@code [--config FILE] [--host H] [--port N] [--demo]}.
 *
 * @param config the JSON configuration file, or {@code null} in demo mode
 * @param host the address to bind
 * @param port the port; 0 picks a free one
 * @param demo whether to run the self-contained demo
 */
public record ServerOptions(@Nullable Path config, String host, int port, boolean demo) {

    /** Bound when {@code --host} is not given: loopback only, nothing is exposed by accident. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** Used when {@code --port} is not given. */
    public static final int DEFAULT_PORT = 8080;

    static final String USAGE = "usage: java -jar mlregistry-server.jar (--config FILE | --demo) [--host H] [--port N]";

    /**
     * Parses the arguments.
     *
     * @throws IllegalArgumentException with a message for the user when they are wrong
     */
    public static ServerOptions parse(List<String> args) {
        Path config = null;
        String host = DEFAULT_HOST;
        int port = DEFAULT_PORT;
        boolean demo = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--demo" -> demo = true;
                case "--config" -> config = Path.of(value(args, ++i, a));
                case "--host" -> host = value(args, ++i, a);
                case "--port" -> port = port(value(args, ++i, a));
                default -> throw new IllegalArgumentException("unknown argument: " + a);
            }
        }
        if (config == null && !demo) {
            throw new IllegalArgumentException("give --config FILE or --demo");
        }
        if (config != null && demo) {
            throw new IllegalArgumentException("--config and --demo exclude each other");
        }
        return new ServerOptions(config, host, port, demo);
    }

    private static int port(String value) {
        int port;
        try {
            port = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port: not a number: " + value);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port: must be 0 to 65535, was " + port);
        }
        return port;
    }

    private static String value(List<String> args, int i, String flag) {
        if (i >= args.size() || args.get(i).startsWith("--")) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args.get(i);
    }
}
