package org.mlregistry.core.memory;

import org.mlregistry.core.spi.ModelCatalog;
import org.mlregistry.core.testing.ModelCatalogContract;

class InMemoryModelCatalogTest extends ModelCatalogContract {
    @Override
    protected ModelCatalog catalog() {
        return new InMemoryModelCatalog();
    }
}
