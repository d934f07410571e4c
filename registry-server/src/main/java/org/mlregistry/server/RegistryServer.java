package org.mlregistry.server;

import org.mlregistry.server.config.ConfigParser;
import org.mlregistry.server.config.HistoryConfig;
import org.mlregistry.server.config.ConfigException;
import org.mlregistry.server.config.RegistryConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.URI;
import java.time.Clock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.server.Connector;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import java.util.LinkedHashMap;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.RegistryVersion;
import org.mlregistry.server.cli.ExitCodes;
import org.mlregistry.server.cli.InitCommand;
import org.mlregistry.server.cli.TokenCommand;
import org.mlregistry.server.config.ListenConfig;
import org.mlregistry.server.config.StartFailure;
import org.mlregistry.server.config.StorageConfig;
import org.mlregistry.core.http.RegistryHttpHandler;
import org.mlregistry.core.spi.RegistryObserver;
import org.mlregistry.metrics.MicrometerObserver;
import org.mlregistry.servlet.ModelRegistryServlet;
import org.mlregistry.web.WebInterface;
import org.mlregistry.web.WebInterfaceServlet;
import org.mlregistry.servlet.RegistryHealthServlet;
import org.mlregistry.core.spi.ModelFileStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runnable registry server: {@code java -jar mlregistry-server.jar (--config FILE | --demo)
 * [--host H] [--port N]}. Prints {@code Listening on http://HOST:PORT/api/v4} once it accepts requests.
 * A bad command line or configuration ends it with exit code 2 and a message naming the problem.
 *
 * <p>Threading: {@link #start} and {@link #stop} are for one controlling thread; requests are served by
 * Jetty's pool.
 */
public final class RegistryServer {

    /** Exit code for a bad command line or configuration. */
    public static final int EXIT_CONFIG = ExitCodes.USAGE;
    /** Where the health endpoint is, always. */
    public static final String HEALTH_PATH = "/health";
    /** Where Prometheus metrics are, when the configuration says {@code "metrics": true}. */
    public static final String METRICS_PATH = "/metrics";
    /** How often the files of deleted versions that could not be removed at once are tried again. */
    static final Duration CLEAN_UP_INTERVAL = Duration.ofMinutes(10);
    /** How long requests whose connections a stop closed get to end, and be logged, before the servlet stops. */
    private static final Duration CUT_GRACE = Duration.ofSeconds(3);

    private final Server jetty;
    private final String baseUrl;
    private static final Logger LOG = LoggerFactory.getLogger(RegistryServer.class);

    private final @Nullable DemoData demo;
    private final @Nullable ConfigReloader reloader;
    private final Backends backends;
    private final ScheduledExecutorService cleanUp;
    private final GracefulHandler graceful;
    private final Duration drain;
    private final AtomicInteger terminations = new AtomicInteger();
    private final CountDownLatch cut = new CountDownLatch(1);
    private final AtomicBoolean stopped = new AtomicBoolean();

    private RegistryServer(Server jetty, String baseUrl, @Nullable DemoData demo, @Nullable ConfigReloader reloader,
                           Backends backends, ScheduledExecutorService cleanUp, Duration drain) {
        this.jetty = jetty;
        this.graceful = RegistryJetty.graceful(jetty);
        this.drain = drain;
        this.baseUrl = baseUrl;
        this.demo = demo;
        this.reloader = reloader;
        this.backends = backends;
        this.cleanUp = cleanUp;
    }

    /** Adopts the directory layout's files into manifests, unless a migration found it empty before; failures are logged. */
    private static void migrateLayout(ModelRegistry registry) {
        registry.blobs().ifPresent(blobs -> {
            try {
                if (!blobs.layoutMigrated()) {
                    blobs.migrate();
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("migrating the directory layout failed; its files are still served, and the next start tries again: {}",
                        e.toString());
            }
        });
    }

    /**
     * Forgets history past its keep and deletes the blobs nothing refers to (a registry with a catalog); a failure is
     * logged and left to the next run.
     */
    private static void collectGarbage(ModelRegistry registry, HistoryConfig history) {
        registry.blobs().ifPresent(blobs -> {
            try {
                blobs.collect(history.keep(), history.grace());
            } catch (IOException | RuntimeException e) {
                LOG.warn("garbage collection failed; tried again later: {}", e.toString());
            }
        });
    }

    /**
     * Runs the command line: the server, or {@code token create}, {@code init}, {@code gc}, {@code verify}, {@code migrate},
     * {@code --help},
     * {@code --version}.
     */
    public static void main(String[] args) {
        List<String> arguments = List.of(args);
        if (!arguments.isEmpty() && arguments.get(0).equals("token")) {
            System.exit(TokenCommand.run(arguments.subList(1, arguments.size()), System.out, System.err));
        }
        if (!arguments.isEmpty() && UpkeepCommand.NAMES.contains(arguments.get(0))) {
            System.exit(UpkeepCommand.run(arguments, System.getenv(), System.out, System.err));
        }
        if (!arguments.isEmpty() && arguments.get(0).equals("init")) {
            System.exit(InitCommand.run(arguments.subList(1, arguments.size()), System.out, System.err));
        }
        if (arguments.contains("--help") || arguments.contains("-h")) {
            System.out.print(ServerOptions.HELP);
            System.exit(ExitCodes.OK);
        }
        if (arguments.contains("--version")) {
            System.out.println("mlregistry " + RegistryVersion.current());
            System.exit(ExitCodes.OK);
        }
        ServerOptions options;
        try {
            options = ServerOptions.parse(arguments, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(ServerOptions.USAGE);
            System.exit(EXIT_CONFIG);
            return;
        }
        try {
            RegistryServer server = start(options, System.out);
            // Ctrl-C and System.exit: stop at once, as before
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "mlregistry-shutdown"));
            // as daemons do: SIGHUP re-reads the configuration (the JVM's default would stop the server)
            if (!Signals.on("HUP", () -> {
                LOG.info("SIGHUP: checking the configuration file now");
                server.reloadNow();
            })) {
                LOG.warn("this JVM cannot handle SIGHUP; the configuration is still re-read when the file changes");
            }
            // SIGTERM (systemd, docker stop, kubernetes) drains, then exits 0; a second one cuts what still runs
            if (!Signals.on("TERM", server::terminate)) {
                LOG.warn("this JVM cannot handle SIGTERM; a stop cuts running transfers");
            }
            server.jetty.join();
        } catch (ConfigException e) {
            System.err.println("config error: " + e.getMessage());
            System.exit(EXIT_CONFIG);
        } catch (StartFailure e) {
            System.err.println("could not start: " + e.getMessage());
            System.exit(ExitCodes.FAILURE);
        } catch (Exception e) {
            System.err.println("could not start: " + e);
            System.exit(ExitCodes.FAILURE);
        }
    }

    /** Starts a server as {@code options} say and prints its banner to {@code out}. */
    public static RegistryServer start(ServerOptions options, PrintStream out) throws Exception {
        return start(options, out, ConfigReloader.DEFAULT_INTERVAL);
    }

    /** As {@link #start(ServerOptions, PrintStream)}, checking the configuration file every {@code reloadInterval}. */
    static RegistryServer start(ServerOptions options, PrintStream out, Duration reloadInterval) throws Exception {
        return start(options, out, reloadInterval, System.getenv());
    }

    /** As above, with the environment the configuration's {@code ...Env} names are looked up in. */
    @SuppressWarnings("FutureReturnValueIgnored") // the clean-up catches everything: its future never holds a failure
    static RegistryServer start(ServerOptions options, PrintStream out, Duration reloadInterval, Map<String, String> environment)
            throws Exception {
        DemoData demo = options.demo() ? DemoData.create() : null;
        Path configFile = options.config();
        RegistryConfig config = demo != null ? demo.config() : ConfigParser.read(Objects.requireNonNull(configFile));
        RegistryJetty.Listening listening = listening(config.listen(), environment); // before anything is opened
        String scheme = listening.tls() ? "https" : "http";
        PrometheusMeterRegistry meters = config.metrics().enabled() ? PrometheusServlet.withJvmMeters() : null;
        // opened once: a reload swaps the access rules and keeps store and catalog, and with them their caches
        Backends backends = Backends.open(config, environment,
                meters == null ? RegistryObserver.NONE : new MicrometerObserver(meters));
        ModelRegistry first = backends.registry(config.access());
        // deletions a crash or a storage failure left unfinished: finished before the first request
        int cleaned = first.removeDeletedFiles();
        if (cleaned > 0) {
            LOG.info("removed the files of {} deleted versions left from before", cleaned);
        }
        AtomicReference<ModelRegistry> registry = new AtomicReference<>(first);
        // the API's absolute links (a tree listing's next page) name where clients reach the server: the configured
        // public URL, else the address it listens on, unless that is every interface (links are relative then)
        AtomicReference<@Nullable URI> publicApi = new AtomicReference<>(publicApi(config.publicUrl(), scheme, options.host(),
                options.port()));
        java.util.function.Function<ModelRegistry, RegistryHttpHandler> handlers =
                r -> new RegistryHttpHandler(r, Clock.systemUTC(), publicApi.get());
        AtomicReference<RegistryHttpHandler> current = new AtomicReference<>(handlers.apply(first));
        long demoVersion = demo == null ? -1 : demo.populate(first);
        ConfigReloader reloader = null;
        if (configFile != null) {
            reloader = new ConfigReloader(configFile, next -> {
                if (!config.sameStartSettings(next)) {
                    LOG.warn("a setting read at start changed (storage, catalog, metrics, publicUrl, tls, forwardedHeaders, accessLog or "
                            + "drainSeconds); it takes effect at the next start");
                }
                ModelRegistry reloaded = backends.registry(next.access());
                registry.set(reloaded);
                current.set(handlers.apply(reloaded));
            });
        }
        Map<String, HttpServlet> others = new LinkedHashMap<>();
        others.put(HEALTH_PATH, new RegistryHealthServlet(registry::get));
        RegistryJetty.SideDoor side = null;
        if (meters != null) {
            PrometheusServlet scrape = new PrometheusServlet(meters, config.metrics().token(), Clock.systemUTC());
            Integer metricsPort = config.metrics().port();
            if (metricsPort == null) {
                others.put(METRICS_PATH, scrape);
            } else {
                side = new RegistryJetty.SideDoor(METRICS_PATH, scrape, metricsPort);
            }
        }
        // behind a trusted proxy, links follow the client's view of the address, unless a public URL is configured
        ModelRegistryServlet servlet = new ModelRegistryServlet(current::get)
                .linksFromForwardedRequest(config.listen().forwardedHeaders() && config.publicUrl() == null)
                .accessLog(config.accessLog().open());
        if (config.web().enabled()) {
            // the servlet container's default mapping: the API, health and metrics keep their own paths
            others.put("/", new WebInterfaceServlet(webInterface(config, environment, registry::get)));
        }
        Server jetty = RegistryJetty.create(servlet, others, side, options.host(), options.port(), listening);
        try {
            jetty.start();
        } catch (Exception e) {
            backends.close();
            throw bindFailure(e, options);
        }
        if (reloader != null) {
            reloader.start(reloadInterval);
        }
        ScheduledExecutorService cleanUp = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mlregistry-clean-up");
            t.setDaemon(true);
            return t;
        });
        cleanUp.scheduleWithFixedDelay(() -> {
            try {
                Objects.requireNonNull(registry.get(), "always set").removeDeletedFiles();
            } catch (RuntimeException e) {
                LOG.warn("cleaning up deleted versions failed; tried again later: {}", e.toString());
            }
        }, CLEAN_UP_INTERVAL.toMinutes(), CLEAN_UP_INTERVAL.toMinutes(), TimeUnit.MINUTES);
        // files of the directory layout (written before manifests) are adopted while the server already serves them, and
        // garbage is collected: in the background, since both take as long as there are files
        cleanUp.execute(() -> migrateLayout(Objects.requireNonNull(registry.get(), "always set")));
        cleanUp.execute(() -> collectGarbage(Objects.requireNonNull(registry.get(), "always set"), config.history()));
        long gcMinutes = config.history().gcInterval().toMinutes();
        cleanUp.scheduleWithFixedDelay(() -> collectGarbage(Objects.requireNonNull(registry.get(), "always set"), config.history()),
                gcMinutes, gcMinutes, TimeUnit.MINUTES);
        if (options.port() == 0) { // the port is known now
            publicApi.set(publicApi(config.publicUrl(), scheme, options.host(), RegistryJetty.port(jetty)));
            current.set(handlers.apply(Objects.requireNonNull(registry.get(), "always set")));
        }
        String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
        String baseUrl = scheme + "://" + host + ":" + RegistryJetty.port(jetty) + RegistryJetty.API_MOUNT;
        // logged before the banner, which tells a supervisor (or a test) that start-up is over
        LOG.info("mlregistry {} serving {} with catalog {}: {} projects, {} tokens, metrics {}; listening on {}{}",
                RegistryVersion.current(), storageText(config), backends.catalogKind(),
                config.access().projects().size(), config.access().tokens().size(), metricsText(config, jetty), baseUrl, webText(config));
        out.println("Listening on " + baseUrl);
        if (demo != null) {
            out.println("Demo project '" + DemoData.PROJECT_PATH + "' (private), model '" + DemoData.MODEL_NAME + "' version "
                    + DemoData.VERSION + " (model version id " + demoVersion + "), file " + DemoData.FILE_NAME + ", stored in "
                    + demo.folder());
            out.println("Demo token (personal access token, scope api): " + demo.token());
            out.println("Download the demo file:");
            out.println("  " + demo.curl(baseUrl, demoVersion));
            out.println("Point an MLflow client at the demo project:");
            demo.mlflowEnvironment(baseUrl).forEach(line -> out.println("  " + line));
            out.println("Point a Hugging Face client at it (repository id " + DemoData.hubRepoId() + "):");
            demo.hubEnvironment(baseUrl).forEach(line -> out.println("  " + line));
            if (config.web().enabled()) {
                out.println("Browse it (sign in with the token): " + baseUrl.substring(0, baseUrl.length() - RegistryJetty.API_MOUNT.length())
                        + "/");
            }
        }
        out.flush();
        return new RegistryServer(jetty, baseUrl, demo, reloader, backends, cleanUp, config.drain());
    }

    /** The web interface, for the start-up line: whether its sessions outlive this process (and open on other nodes). */
    private static String webText(RegistryConfig config) {
        if (!config.web().enabled()) {
            return "";
        }
        return config.web().sessionSecretEnv() != null ? "; web interface at /"
                : "; web interface at / (its sessions end with this process; web.sessionSecretEnv shares them between nodes)";
    }

    /** Where the files are, for the start-up line: never a credential (S3 keys come from the environment). */
    private static String storageText(RegistryConfig config) {
        StorageConfig.S3 s3 = config.storage().s3();
        return s3 == null ? "files in " + config.storage().root()
                : "bucket " + s3.bucket() + (s3.prefix().isEmpty() ? "" : "/" + s3.prefix()) + (s3.endpoint() == null ? "" : " at " + s3.endpoint());
    }

    private static String metricsText(RegistryConfig config, Server jetty) {
        if (!config.metrics().enabled()) {
            return "off";
        }
        return (config.metrics().port() == null ? "at " + METRICS_PATH : "on port " + RegistryJetty.sidePort(jetty))
                + (config.metrics().token() == null ? "" : " (token required)");
    }

    /** The key store loaded (a wrong password or file is a configuration error, before anything opens), and the rest. */
    private static RegistryJetty.Listening listening(ListenConfig listen, Map<String, String> environment) throws ConfigException {
        ListenConfig.Tls tls = listen.tls();
        if (tls == null) {
            return new RegistryJetty.Listening(null, "", listen.forwardedHeaders());
        }
        return new RegistryJetty.Listening(tls.load(environment), new String(tls.password(environment)), listen.forwardedHeaders());
    }

    /** Why the port could not be opened, in one sentence, when that is the failure; else the failure itself. */
    private static Exception bindFailure(Exception e, ServerOptions options) {
        Optional<Throwable> bind = StartFailure.cause(e, t -> t instanceof BindException);
        if (bind.isPresent()) {
            String reason = String.valueOf(bind.get().getMessage());
            return new StartFailure("cannot listen on " + address(e, options) + ": " + (reason.contains("in use")
                    ? "another process listens there; stop it, or choose another port"
                    : reason.contains("assign") ? "this machine has no such address; choose one of its own with --host"
                    : reason.contains("ermission") ? "a port below 1024 needs privileges; choose a higher one"
                    : "the system refused (" + reason + ")"), e);
        }
        if (StartFailure.cause(e, t -> t instanceof java.nio.channels.UnresolvedAddressException).isPresent()) {
            return new StartFailure("cannot listen on " + options.host() + ": the host name does not resolve; give an address or "
                    + "a name of this machine with --host", e);
        }
        return e;
    }

    /** The address Jetty could not bind, from its message ("Failed to bind to /127.0.0.1:8080"), else the options'. */
    private static String address(Exception e, ServerOptions options) {
        String message = String.valueOf(e.getMessage());
        int at = message.indexOf("bind to ");
        if (at >= 0) {
            String address = message.substring(at + "bind to ".length()).strip();
            return address.startsWith("/") ? address.substring(1) : address;
        }
        return options.host() + ":" + options.port();
    }

    /** The web interface, its sessions sealed with the configured secret (else one of this process's own). */
    private static WebInterface webInterface(RegistryConfig config, Map<String, String> environment,
                                             java.util.function.Supplier<ModelRegistry> registry) throws ConfigException {
        WebInterface.Builder web = WebInterface.builder(registry).publicUrl(config.publicUrl())
                .sessionLifetime(config.web().sessionLifetime()).apiPath(RegistryJetty.API_MOUNT);
        byte[] secret = config.web().sessionSecret(environment);
        if (secret != null) {
            web.sessionSecret(secret);
        }
        return web.build();
    }

    /**
     * The API's public base ({@code .../api/v4}): under the configured public URL, else the address the server listens
     * on; {@code null} (links are relative) when that is every interface or the port is not known yet.
     */
    private static @Nullable URI publicApi(@Nullable URI publicUrl, String scheme, String host, int port) {
        if (publicUrl != null) {
            return URI.create(publicUrl + RegistryJetty.API_MOUNT);
        }
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") || port == 0) {
            return null;
        }
        return URI.create(scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + RegistryJetty.API_MOUNT);
    }


    /** The store this server opened at start; the same for its whole life. */
    ModelFileStore store() {
        return backends.store();
    }

    /** Checks the configuration file now; true when a new configuration took effect. */
    boolean reloadNow() {
        return reloader != null && reloader.checkNow();
    }

    /** The port of the metrics' own connector, or -1 when they share the API's (tests). */
    int metricsPort() {
        return RegistryJetty.sidePort(jetty);
    }

    /** Threads of the server's pool running a request or a write now; the selector and acceptor not counted (tests). */
    int threadsAtWork() {
        return ((QueuedThreadPool) jetty.getThreadPool()).getUtilizedThreads();
    }

    /** {@code http://host:port/api/v4}. */
    public String baseUrl() {
        return baseUrl;
    }

    /**
     * What SIGTERM does: the first stops accepting requests and lets running ones finish for up to the configured drain
     * time, on a thread of its own, then ends the process with exit code 0; a later one cuts what still runs at once.
     */
    void terminate() {
        if (terminations.incrementAndGet() == 1) {
            Thread drainer = new Thread(() -> {
                try {
                    drainAndStop();
                } finally {
                    System.exit(ExitCodes.OK); // a stop that failed half-way still ends the process, not leaves it hanging
                }
            }, "mlregistry-drain");
            drainer.start();
        } else {
            LOG.warn("SIGTERM again: cutting what still runs");
            cut.countDown();
        }
    }

    /**
     * Stops accepting requests, waits for the running ones for up to the drain time (or until {@link #terminate} is
     * called again), then stops, cutting the rest: their access log lines say {@code aborted=true}.
     */
    void drainAndStop() {
        long running = graceful.getCurrentRequestCount();
        LOG.info("stopping: no new requests; waiting up to {} s for {} running", drain.toSeconds(), running);
        long started = System.nanoTime();
        // the connectors stop accepting and the request counter stops taking requests (a keep-alive connection's next
        // one is answered 503); the context is left alone: its own graceful stop fails the answers being written
        for (Connector connector : jetty.getConnectors()) {
            // done when its last connection closes, idle keep-alive ones included: not waited for
            CompletableFuture<Void> closing = connector.shutdown();
            closing.exceptionally(e -> null);
        }
        CompletableFuture<Void> drained = graceful.shutdown();
        try {
            long deadline = started + drain.toNanos();
            while (!drained.isDone() && System.nanoTime() < deadline && cut.getCount() > 0) {
                cut.await(Math.min(100_000_000L, Math.max(0, deadline - System.nanoTime())), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (drained.isDone()) {
            LOG.info("stopping: every request finished in {} ms", (System.nanoTime() - started) / 1_000_000);
        } else {
            LOG.warn("stopping: {} requests still running after {} ms are cut off", graceful.getCurrentRequestCount(),
                    (System.nanoTime() - started) / 1_000_000);
            cutConnections();
        }
        stop();
    }

    /**
     * Closes every connection, so the answers being written fail and end as requests do, access log line
     * ({@code aborted=true}) included, before the servlet and its log are stopped; waits a few seconds at most.
     */
    private void cutConnections() {
        for (Connector connector : jetty.getConnectors()) {
            connector.getConnectedEndPoints().forEach(org.eclipse.jetty.io.EndPoint::close);
        }
        long deadline = System.nanoTime() + CUT_GRACE.toNanos();
        while (graceful.getCurrentRequestCount() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Stops the server at once and removes the demo folder, if any; a second call does nothing, after waiting for the
     * first to finish (Ctrl-C during a drain must not let the JVM halt while the catalog is closing).
     */
    public synchronized void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        cleanUp.shutdownNow();
        if (reloader != null) {
            reloader.close();
        }
        try {
            jetty.stop();
        } catch (Exception e) {
            // stopping is best effort; nothing is left to protect
        }
        backends.close();
        if (demo != null) {
            demo.delete();
        }
    }
}
