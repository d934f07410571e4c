package org.mlregistry.core;

import java.io.IOException;
import org.mlregistry.core.spi.RegistryObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a catalog call and turns an unreachable database into {@link Refusal#CATALOG_UNAVAILABLE} (503),
 * logged once as a warning: the caller gets a clear answer instead of a 500, and the operator a line.
 * Every call is reported to the registry's {@link RegistryObserver} with its operation name and time.
 */
final class CatalogCalls {

    private static final Logger LOG = LoggerFactory.getLogger(CatalogCalls.class);

    interface Call<T> {
        T run() throws IOException;
    }

    private final RegistryObserver observer;

    CatalogCalls(RegistryObserver observer) {
        this.observer = observer;
    }

    <T> T call(String operation, Call<T> call) {
        long started = System.nanoTime();
        boolean failed = true;
        try {
            T result = call.run();
            failed = false;
            return result;
        } catch (RegistryException refusal) {
            failed = false; // the catalog answered: a name is taken, a model is missing
            throw refusal;
        } catch (IOException e) {
            LOG.warn("the model catalog failed: {}", e.toString());
            throw new RegistryException(Refusal.CATALOG_UNAVAILABLE);
        } finally {
            observer.catalogCalled(operation, failed, System.nanoTime() - started);
        }
    }
}
