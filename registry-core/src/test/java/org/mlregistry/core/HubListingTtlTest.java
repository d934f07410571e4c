package org.mlregistry.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlregistry.core.memory.InMemoryModelCatalog;
import org.mlregistry.core.memory.InMemoryModelFileStore;
import org.mlregistry.core.model.Caller;
import org.mlregistry.core.model.Credential;
import org.mlregistry.core.model.Declared;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.HubSnapshot;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.ProjectRef;
import org.mlregistry.core.testing.MutableClock;
import org.mlregistry.core.testing.TestRegistry;

/**
 * The listing cache's promise ({@link FileListings}), on the registry's injected clock: a version's files as Hugging
 * Face clients see them are listed again at most every 2 s, so a change made behind the registry's back (another
 * node, a file placed by hand) shows within 2 s and not before; a change through this registry shows at once; a clock
 * that steps back ends what was cached.
 */
class HubListingTtlTest {

    private static final Caller DEV = Caller.presenting(Credential.of(Credential.Transport.BEARER, TestRegistry.TOKEN));
    private static final ProjectRef PROJECT = ProjectRef.ofId(6);

    private final MutableClock clock = new MutableClock();
    private final InMemoryModelFileStore store = new InMemoryModelFileStore(clock);
    private ModelRegistry registry;
    private ModelVersion version;

    @BeforeEach
    void setUp() throws Exception {
        registry = TestRegistry.builder().store(store).catalog(new InMemoryModelCatalog()).clock(clock).build();
        registry.models().create(DEV, PROJECT, "m", "", List.of());
        version = registry.models().createVersion(DEV, PROJECT, "m", "1.0.0", "", List.of());
        upload("config.json");
    }

    private void upload(String name) throws Exception {
        registry.upload(DEV, PROJECT, version.ref(), FilePath.of(name), Declared.NOTHING,
                new java.io.ByteArrayInputStream(name.getBytes(StandardCharsets.UTF_8)));
    }

    private HubSnapshot main() throws Exception {
        return registry.hub().snapshot(DEV, PROJECT, "p6/m", HubRepos.MAIN);
    }

    @Test
    void aChangeBehindTheRegistrysBackShowsWithinTwoSecondsAndNotBefore() throws Exception {
        HubSnapshot before = main();
        store.put(6, version.ref(), FilePath.of("placed-by-hand.bin"), new byte[] {1, 2, 3});
        clock.advance(Duration.ofMillis(1999));
        assertThat(main().commit()).as("1.999 s later: the listing is reused").isEqualTo(before.commit());
        assertThat(main().file(FilePath.of("placed-by-hand.bin"))).isEmpty();
        clock.advance(Duration.ofMillis(1));
        HubSnapshot after = main();
        assertThat(after.commit()).as("2 s later: listed again").isNotEqualTo(before.commit());
        assertThat(after.file(FilePath.of("placed-by-hand.bin"))).isPresent();
    }

    @Test
    void aChangeThroughTheRegistryShowsAtOnce() throws Exception {
        HubSnapshot before = main();
        upload("model.safetensors");
        HubSnapshot after = main();
        assertThat(after.commit()).isNotEqualTo(before.commit());
        assertThat(after.file(FilePath.of("model.safetensors"))).isPresent();
    }

    @Test
    void aClockThatStepsBackEndsTheCachedListing() throws Exception {
        HubSnapshot before = main();
        store.put(6, version.ref(), FilePath.of("placed-by-hand.bin"), new byte[] {1});
        clock.advance(Duration.ofMillis(-1));
        assertThat(main().commit()).isNotEqualTo(before.commit());
    }
}
