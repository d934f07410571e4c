package org.mlregistry.server;

import org.mlregistry.server.config.ConfigException;
import org.mlregistry.server.config.RegistryConfig;
import org.mlregistry.server.config.AccessConfig;
import org.mlregistry.server.config.StorageConfig;
import org.mlregistry.server.config.StartFailure;
import org.mlregistry.server.config.CatalogConfig;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.spi.ModelFileStore;
import org.mlregistry.core.spi.RegistryObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store and catalog a configuration names, opened once and closed together, and the registries built
 * over them: the bundled server builds a new registry at each reload of the access rules, and the WAR's
 * listener one at deployment, both keeping the same store and catalog (and so their caches and pools).
 *
 * <p>Threading: {@link #registry} is safe to call concurrently; {@link #close} once, at the end.
 */
public final class Backends implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Backends.class);

    private final StorageConfig.Open storage;
    private final CatalogConfig.Open catalog;
    private final RegistryObserver observer;

    private Backends(StorageConfig.Open storage, CatalogConfig.Open catalog, RegistryObserver observer) {
        this.storage = storage;
        this.catalog = catalog;
        this.observer = observer;
    }

    /**
     * Opens the storage and catalog of {@code config}; {@code environment} is where its {@code ...Env}
     * names are looked up.
     *
     * @throws ConfigException when a named variable is missing or the storage root is not a directory
     * @throws IOException when the storage cannot be opened
     * @throws StartFailure when the embedded catalog is open in another process
     */
    public static Backends open(RegistryConfig config, Map<String, String> environment, RegistryObserver observer)
            throws ConfigException, IOException, StartFailure {
        StorageConfig.Open opened = config.storage().open(environment, observer);
        try {
            return new Backends(opened, config.catalog().open(config.storage().root(), environment), observer);
        } catch (ConfigException | StartFailure | RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    /** A registry enforcing {@code access} over these backends. */
    public ModelRegistry registry(AccessConfig access) {
        return access.toRegistry(Clock.systemUTC(), storage.store(), Optional.of(storage.blobs()), catalog.catalog(), observer);
    }

    /** Which catalog is open: {@code sqlite}, {@code h2}, {@code jdbc} or {@code none}. */
    public String catalogKind() {
        return catalog.kind();
    }

    /** The open store. */
    public ModelFileStore store() {
        return storage.store();
    }

    @Override
    public void close() {
        catalog.close();
        try {
            storage.close();
        } catch (IOException e) {
            LOG.debug("could not release the upload folder: {}", e.toString());
        }
    }
}
