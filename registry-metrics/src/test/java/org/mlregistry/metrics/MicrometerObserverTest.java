package org.mlregistry.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.memory.InMemoryModelCatalog;
import org.mlregistry.core.memory.InMemoryModelFileStore;
import org.mlregistry.core.model.Caller;
import org.mlregistry.core.model.Credential;
import org.mlregistry.core.model.Declared;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.ProjectRef;
import org.mlregistry.core.testing.RegistryFixture;
import org.mlregistry.core.testing.TestRegistry;

class MicrometerObserverTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final MicrometerObserver observer = new MicrometerObserver(meters);
    private final ModelRegistry registry = TestRegistry.builder().store(new InMemoryModelFileStore(RegistryFixture.CLOCK))
            .catalog(new InMemoryModelCatalog()).observer(observer).build();
    private final Caller dev = Caller.presenting(Credential.of(Credential.Transport.BEARER, TestRegistry.TOKEN));
    private final ProjectRef project = ProjectRef.parse("5");

    @Test
    void catalogCallsAreTimedByOperationAndOutcome() throws IOException {
        registry.models().create(dev, project, "sentiment", "", List.of());
        assertThatThrownBy(() -> registry.models().create(dev, project, "sentiment", "", List.of()))
                .isInstanceOf(RegistryException.class);

        // a refusal the catalog answers (the name is taken) is an answer, not a failed call
        assertThat(meters.get(MicrometerObserver.CATALOG_CALLS).tags("operation", "createModel", "outcome", "ok").timer().count())
                .isEqualTo(2);
    }

    @Test
    void anUploadInProgressIsCountedUntilItEnds() throws IOException {
        registry.models().create(dev, project, "sentiment", "", List.of());
        ModelVersion v = registry.models().createVersion(dev, project, "sentiment", "1.0.0", "", List.of());
        double[] during = new double[1];
        InputStream body = new ByteArrayInputStream("weights".getBytes(StandardCharsets.UTF_8)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                during[0] = meters.get(MicrometerObserver.UPLOADS_ACTIVE).gauge().value();
                return super.read(b, off, len);
            }
        };

        registry.upload(dev, project, v.ref(), FilePath.parse("model.bin"), Declared.NOTHING, body);

        assertThat(during[0]).isEqualTo(1.0);
        assertThat(meters.get(MicrometerObserver.UPLOADS_ACTIVE).gauge().value()).isZero();
    }

    @Test
    void aRefusedUploadIsNeverInProgress() {
        assertThatThrownBy(() -> registry.upload(Caller.ANONYMOUS, project, org.mlregistry.core.model.ModelVersionRef.parse("1"),
                FilePath.parse("model.bin"), Declared.NOTHING, InputStream.nullInputStream()))
                .isInstanceOf(RegistryException.class);

        assertThat(meters.get(MicrometerObserver.UPLOADS_ACTIVE).gauge().value()).isZero();
    }

    @Test
    void requestsAreTimedByMethodRouteAndStatusAndBytesCountedByRoute() {
        String route = "/projects/:id/packages/ml_models/:model_version_id/files/*path";
        observer.requestCompleted("GET", route, 200, 0, 4096, TimeUnit.MILLISECONDS.toNanos(3));
        observer.requestCompleted("PUT", route, 201, 100, 0, TimeUnit.MILLISECONDS.toNanos(5));

        assertThat(meters.get(MicrometerObserver.REQUESTS).tags("method", "GET", "route", route, "status", "200").timer()
                .totalTime(TimeUnit.MILLISECONDS)).isEqualTo(3.0);
        assertThat(meters.get(MicrometerObserver.SENT).tags("route", route).counter().count()).isEqualTo(4096.0);
        assertThat(meters.get(MicrometerObserver.RECEIVED).tags("route", route).counter().count()).isEqualTo(100.0);
    }

    @Test
    void unknownMethodsShareOneSeriesSoClientsCannotGrowTheirNumber() {
        for (int i = 0; i < 50; i++) {
            observer.requestCompleted("M" + i, "-", 405, 0, 0, 1);
        }

        assertThat(meters.find(MicrometerObserver.REQUESTS).timers()).hasSize(1);
        assertThat(meters.get(MicrometerObserver.REQUESTS).tags("method", "OTHER").timer().count()).isEqualTo(50);
    }

    @Test
    void transfersAndDigestsAreGaugedAndCounted() {
        observer.downloadStarted();
        observer.downloadStarted();
        observer.downloadFinished();
        observer.digestComputed(1 << 20, TimeUnit.MILLISECONDS.toNanos(2));

        assertThat(meters.get(MicrometerObserver.DOWNLOADS_ACTIVE).gauge().value()).isEqualTo(1.0);
        assertThat(meters.get(MicrometerObserver.DIGESTS).timer().count()).isEqualTo(1);
        assertThat(meters.get(MicrometerObserver.DIGESTED).counter().count()).isEqualTo(1 << 20);
    }
}
