package org.mlregistry.core.memory;

import org.mlregistry.core.spi.ModelFileStore;
import org.mlregistry.core.testing.ModelFileStoreContract;
import org.mlregistry.core.testing.RegistryFixture;

class InMemoryModelFileStoreTest extends ModelFileStoreContract {
    @Override
    protected ModelFileStore store() {
        return new InMemoryModelFileStore(RegistryFixture.CLOCK);
    }
}
