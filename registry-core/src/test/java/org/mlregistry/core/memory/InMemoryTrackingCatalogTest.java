package org.mlregistry.core.memory;

import org.mlregistry.core.spi.TrackingCatalog;
import org.mlregistry.core.testing.TrackingCatalogContract;

/** The tracking contract on the in-memory catalog. */
class InMemoryTrackingCatalogTest extends TrackingCatalogContract {

    @Override
    protected TrackingCatalog catalog() {
        return new InMemoryModelCatalog();
    }
}
