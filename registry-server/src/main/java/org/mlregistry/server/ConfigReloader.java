package org.mlregistry.server;

import org.mlregistry.server.config.ConfigParser;
import org.mlregistry.server.config.ConfigException;
import org.mlregistry.server.config.RegistryConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.mlregistry.core.model.Sha256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the configuration file when its content changes, so that revoking a token or changing a
 * member's role takes effect without a restart. A new configuration that does not validate is logged and
 * ignored: the server keeps serving with the last good one. Content is compared by SHA-256 rather than by
 * modification time, which is too coarse on some file systems and misses same-second edits.
 *
 * <p>Threading: checks run on one daemon thread; {@link #checkNow()} may also be called directly.
 */
final class ConfigReloader implements AutoCloseable {

    /** How often the file is checked by default. */
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);

    /** Receives each new valid configuration. */
    interface Listener {
        void apply(RegistryConfig config) throws IOException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);

    private final Path file;
    private final Listener listener;
    private final ScheduledExecutorService timer;
    private Sha256 lastDigest;

    ConfigReloader(Path file, Listener listener) throws IOException {
        this.file = Objects.requireNonNull(file, "file");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.lastDigest = digest();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mlregistry-config-reload");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts checking every {@code interval}. */
    @SuppressWarnings("FutureReturnValueIgnored") // checkQuietly catches everything: the future never holds a failure
    void start(Duration interval) {
        timer.scheduleWithFixedDelay(this::checkQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void checkQuietly() {
        try {
            checkNow();
        } catch (RuntimeException e) {
            LOG.error("config reload of {} failed unexpectedly; keeping the current configuration", file, e);
        }
    }

    /**
     * Reloads if the file changed since the last check.
     *
     * @return true when a new configuration was applied
     */
    synchronized boolean checkNow() {
        Sha256 now;
        try {
            now = digest();
        } catch (IOException e) {
            LOG.warn("cannot read config {} ({}); keeping the current configuration", file, e.toString());
            return false;
        }
        if (now.equals(lastDigest)) {
            return false;
        }
        lastDigest = now;
        try {
            listener.apply(ConfigParser.read(file));
            LOG.info("reloaded configuration from {}", file);
            return true;
        } catch (ConfigException e) {
            LOG.error("new configuration in {} is invalid, keeping the current one: {}", file, e.getMessage());
        } catch (IOException e) {
            LOG.error("cannot apply the configuration in {}, keeping the current one: {}", file, e.toString());
        }
        return false;
    }

    private Sha256 digest() throws IOException {
        MessageDigest sha = Sha256.newDigest();
        try (var in = new DigestInputStream(Files.newInputStream(file), sha)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return Sha256.of(sha.digest());
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
