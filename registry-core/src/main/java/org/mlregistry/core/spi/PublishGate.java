package org.mlregistry.core.spi;

import java.io.IOException;

/**
 * Whether an upload may still become visible, asked by a {@link ModelFileWriter} right before the one step that
 * makes the file visible (a rename, a final copy), and held until that step is done. The registry's gate refuses
 * when the upload's version was deleted meanwhile ({@code RESOURCE_DOES_NOT_EXIST}; the writer then stores
 * nothing), and holds the version's deletion back while a pass is open: a deletion and an upload into the version
 * are never interleaved, so the file is either published before the deletion and removed with the version, or
 * refused.
 *
 * <pre>{@code
 * try (PublishGate.Pass pass = options.gate().enter()) {
 *     Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
 * }
 * }</pre>
 *
 * <p>Threading: implementations are safe for concurrent use; a pass is closed by the thread that opened it.
 */
@FunctionalInterface
public interface PublishGate {

    /** Always lets the upload through (no catalog, or a candidate). */
    PublishGate OPEN = () -> () -> {
    };

    /**
     * Opens a pass, or refuses.
     *
     * @throws org.mlregistry.core.RegistryException when the file must not be published
     * @throws IOException when that cannot be decided now
     */
    Pass enter() throws IOException;

    /** Held while the file is published; closing it lets a waiting deletion proceed. */
    @FunctionalInterface
    interface Pass extends AutoCloseable {
        @Override
        void close();
    }
}
