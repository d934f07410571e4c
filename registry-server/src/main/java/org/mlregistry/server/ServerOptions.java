package org.mlregistry.server;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.mlregistry.server.cli.Flags;

/**
 * The bundled server's command line: {@code [--config FILE] [--host H] [--port N] [--demo]}, each flag also as
 * {@code --flag=value}, and the environment variables {@code MLREGISTRY_CONFIG}, {@code MLREGISTRY_HOST} and
 * {@code MLREGISTRY_PORT} for what the command line leaves out (a service unit or a container sets those).
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
    /** The environment variable read when there is no {@code --config}. */
    public static final String CONFIG_VARIABLE = "MLREGISTRY_CONFIG";
    /** The environment variable read when there is no {@code --host}. */
    public static final String HOST_VARIABLE = "MLREGISTRY_HOST";
    /** The environment variable read when there is no {@code --port}. */
    public static final String PORT_VARIABLE = "MLREGISTRY_PORT";

    static final String USAGE = "usage: java -jar mlregistry-server.jar (--config FILE | --demo) [--host H] [--port N]"
            + " (--help for more)";

    static final String HELP = """
            usage: java -jar mlregistry-server.jar (--config FILE | --demo) [--host H] [--port N]
                   java -jar mlregistry-server.jar token create --user U --scopes api[,read_api] [--expires YYYY-MM-DD]
                                                   [--kind personal|job|deploy] [--project ID] [--add-to FILE]
                   java -jar mlregistry-server.jar init DIR [--user U] [--project GROUP/NAME] [--root PATH]
                   java -jar mlregistry-server.jar --help | --version

            Serves GitLab's model registry API, its MLflow-compatible API and Hugging Face endpoints under /api/v4.

            Options (each also as --option=value):
              --config FILE  the JSON configuration (default: $MLREGISTRY_CONFIG)
              --demo         a self-contained demo in a temporary folder; prints a token and a curl command
              --host H       the address to listen on (default: $MLREGISTRY_HOST, else 127.0.0.1; 0.0.0.0 is every interface)
              --port N       the port (default: $MLREGISTRY_PORT, else 8080; 0 picks a free one)
              --help, -h     this text
              --version      the version

            Commands:
              token create   makes a token: prints its secret once and the entry for the configuration's "tokens"
                             (with --add-to FILE, adds the entry to FILE, which a running server reads within seconds)
              init DIR       writes DIR/registry.json: one private project, one maintainer, and prints that user's token

            Signals: SIGTERM stops accepting requests, lets running transfers finish for up to "drainSeconds" of the
            configuration (default 30), then exits 0; a second SIGTERM stops at once. SIGHUP re-reads the configuration.

            Exit codes:
              0  stopped by SIGTERM, or a command (--help, --version, token, init) that did what it was asked
              1  could not start (a port in use, the embedded catalog open in another process), or stopped by an error
              2  a wrong command line or configuration
            """;

    private static final Set<String> VALUED = Set.of("--config", "--host", "--port");

    /** Parses the arguments alone, as if no {@code MLREGISTRY_*} variable were set. */
    public static ServerOptions parse(List<String> args) {
        return parse(args, Map.of());
    }

    /**
     * Parses the arguments, taking what they leave out from {@code environment}.
     *
     * @throws IllegalArgumentException with a message for the user when they are wrong
     */
    public static ServerOptions parse(List<String> args, Map<String, String> environment) {
        Flags flags = Flags.parse(args, VALUED, Set.of("--demo"));
        if (!flags.positional().isEmpty()) {
            throw new IllegalArgumentException("unexpected argument: " + flags.positional().get(0));
        }
        boolean demo = flags.has("--demo");
        String configText = flags.value("--config");
        if (configText == null && !demo) {
            configText = environment.get(CONFIG_VARIABLE);
        }
        String host = first(flags.value("--host"), environment.get(HOST_VARIABLE), DEFAULT_HOST);
        String portText = flags.value("--port");
        int port = portText != null ? port(portText, "--port")
                : environment.containsKey(PORT_VARIABLE) ? port(environment.get(PORT_VARIABLE), PORT_VARIABLE) : DEFAULT_PORT;
        if (configText == null && !demo) {
            throw new IllegalArgumentException("give --config FILE (or set " + CONFIG_VARIABLE + ") or --demo");
        }
        if (configText != null && demo) {
            throw new IllegalArgumentException("--config and --demo exclude each other");
        }
        if (host.isBlank()) {
            throw new IllegalArgumentException("--host must not be empty");
        }
        return new ServerOptions(configText == null ? null : Path.of(configText), host, port, demo);
    }

    private static String first(@Nullable String a, @Nullable String b, String c) {
        return a != null ? a : b != null ? b : c;
    }

    private static int port(@Nullable String value, String flag) {
        int port;
        try {
            port = Integer.parseInt(String.valueOf(value).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + ": not a number: " + value);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(flag + ": must be 0 to 65535, was " + port);
        }
        return port;
    }
}
