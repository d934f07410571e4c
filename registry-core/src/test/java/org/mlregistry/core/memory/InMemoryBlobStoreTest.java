package org.mlregistry.core.memory;

import org.mlregistry.core.spi.BlobStore;
import org.mlregistry.core.testing.BlobStoreContract;
import org.mlregistry.core.testing.RegistryFixture;

class InMemoryBlobStoreTest extends BlobStoreContract {
    @Override
    protected BlobStore blobs() {
        return new InMemoryBlobStore(RegistryFixture.CLOCK);
    }
}
