package org.mlregistry.core;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a catalog call and turns an unreachable database into {@link Refusal#CATALOG_UNAVAILABLE} (503),
 * logged once as a warning: the caller gets a clear answer instead of a 500, and the operator a line.
 */
final class CatalogCalls {

    private static final Logger LOG = LoggerFactory.getLogger(CatalogCalls.class);

    interface Call<T> {
        T run() throws IOException;
    }

    private CatalogCalls() {
    }

    static <T> T call(Call<T> call) {
        try {
            return call.run();
        } catch (IOException e) {
            LOG.warn("the model catalog failed: {}", e.toString());
            throw new RegistryException(Refusal.CATALOG_UNAVAILABLE);
        }
    }
}
