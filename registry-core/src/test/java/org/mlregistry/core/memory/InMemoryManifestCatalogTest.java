package org.mlregistry.core.memory;

import org.mlregistry.core.spi.ManifestCatalog;
import org.mlregistry.core.testing.ManifestCatalogContract;

class InMemoryManifestCatalogTest extends ManifestCatalogContract {
    @Override
    protected ManifestCatalog catalog() {
        return new InMemoryModelCatalog();
    }
}
