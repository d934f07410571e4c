package org.mlregistry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mlregistry.core.testing.RegistryFixture.FILE;
import static org.mlregistry.core.testing.RegistryFixture.VERSION;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlregistry.core.http.ErrorResponses;
import org.mlregistry.core.memory.InMemoryModelFileStore;
import org.mlregistry.core.model.Caller;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ModelVersionRef;
import org.mlregistry.core.model.Project;
import org.mlregistry.core.model.ProjectRef;
import org.mlregistry.core.spi.ModelFile;
import org.mlregistry.core.testing.TableCaller;
import org.mlregistry.core.testing.PermissionTable;
import org.mlregistry.core.testing.RegistryFixture;

/** The registry in-process: no HTTP, in-memory SPIs. */
class ModelRegistryTest {

    private InMemoryModelFileStore files;
    private ModelRegistry registry;

    @BeforeEach
    void setUp() {
        files = new InMemoryModelFileStore(RegistryFixture.CLOCK);
        for (Project p : RegistryFixture.TARGETS) {
            files.put(p.id(), VERSION, FilePath.of(FILE), RegistryFixture.content(p));
        }
        registry = RegistryFixture.registry(files, true);
    }

    static Stream<PermissionTable.Row> table() {
        return PermissionTable.rows();
    }

    private static byte[] bytes(ModelFile file) throws IOException {
        try (SeekableByteChannel ch = file.open()) {
            ByteBuffer buf = ByteBuffer.allocate((int) file.metadata().size());
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // read fully
            }
            return buf.array();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void readFollowsThePermissionTable(PermissionTable.Row row) throws IOException {
        Caller credential = row.caller().callerFor(row.project().id());
        ProjectRef ref = ProjectRef.parse(row.project().fullPath());
        if (row.read().refusal() == null) {
            ModelFile file = registry.download(credential, ref, VERSION, FilePath.of(FILE)).orElseThrow();
            assertThat(bytes(file)).isEqualTo(RegistryFixture.content(row.project()));
        } else {
            assertThatThrownBy(() -> registry.download(credential, ref, VERSION, FilePath.of(FILE)))
                    .isInstanceOfSatisfying(RegistryException.class, e -> {
                        assertThat(e.reason()).isEqualTo(row.read().refusal());
                        assertThat(ErrorResponses.status(e.reason())).isEqualTo(row.read().status());
                    });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void writeFollowsThePermissionTable(PermissionTable.Row row) throws IOException {
        Caller credential = row.caller().callerFor(row.project().id());
        ProjectRef ref = ProjectRef.ofId(row.project().id());
        FilePath path = FilePath.parse("uploads/" + row.caller().name().toLowerCase() + ".bin");
        byte[] content = ("uploaded by " + row.caller()).getBytes();
        if (row.write().refusal() == null) {
            registry.upload(credential, ref, VERSION, path, -1, new ByteArrayInputStream(content));
            assertThat(bytes(files.find(row.project().id(), VERSION, path).orElseThrow())).isEqualTo(content);
        } else {
            assertThatThrownBy(() -> registry.upload(credential, ref, VERSION, path, -1, new ByteArrayInputStream(content)))
                    .isInstanceOfSatisfying(RegistryException.class, e -> {
                        assertThat(e.reason()).isEqualTo(row.write().refusal());
                        assertThat(ErrorResponses.status(e.reason())).isEqualTo(row.write().status());
                    });
            assertThat(files.find(row.project().id(), VERSION, path)).isEmpty();
        }
    }

    @Test
    void findsProjectsByPathCaseInsensitively() throws IOException {
        Caller dev = TableCaller.DEVELOPER.callerFor(3);
        assertThat(registry.download(dev, ProjectRef.parse("GRP/private-model"), VERSION, FilePath.of(FILE))).isPresent();
        assertThat(registry.download(dev, ProjectRef.parse("3"), VERSION, FilePath.of(FILE))).isPresent();
    }

    @Test
    void reportsMissingVersionsAndFilesAsEmpty() throws IOException {
        Caller dev = TableCaller.DEVELOPER.callerFor(3);
        ProjectRef ref = ProjectRef.ofId(3);
        assertThat(registry.download(dev, ref, ModelVersionRef.ofVersion(99), FilePath.of(FILE))).isEmpty();
        assertThat(registry.download(dev, ref, VERSION, FilePath.of("nope.bin"))).isEmpty();
        assertThat(registry.download(dev, ref, ModelVersionRef.ofCandidate(1), FilePath.of(FILE))).isEmpty();
    }

    @Test
    void hidesMissingAndPrivateProjectsAlike() {
        Caller outsider = TableCaller.NON_MEMBER.callerFor(3);
        Optional<RegistryException> hidden = refusal(() -> registry.download(outsider, ProjectRef.ofId(3), VERSION, FilePath.of(FILE)));
        Optional<RegistryException> missing = refusal(() -> registry.download(outsider, ProjectRef.ofId(404), VERSION, FilePath.of(FILE)));
        assertThat(hidden.map(RegistryException::reason)).contains(Refusal.PROJECT_NOT_FOUND);
        assertThat(missing.map(RegistryException::reason)).contains(Refusal.PROJECT_NOT_FOUND);
        assertThat(hidden.orElseThrow().detail()).isEqualTo(missing.orElseThrow().detail());
    }

    private interface Call {
        void run() throws IOException;
    }

    private static Optional<RegistryException> refusal(Call call) {
        try {
            call.run();
            return Optional.empty();
        } catch (RegistryException e) {
            return Optional.of(e);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Nested
    class WhenGuestsMayNotReadPrivateProjects {
        @BeforeEach
        void strict() {
            registry = RegistryFixture.registry(files, false);
        }

        @Test
        void refusesGuestsOnPrivateProjectsWith403() {
            Caller guest = TableCaller.GUEST.callerFor(3);
            assertThat(refusal(() -> registry.download(guest, ProjectRef.ofId(3), VERSION, FilePath.of(FILE)))
                    .map(RegistryException::reason)).contains(Refusal.FORBIDDEN);
        }

        @Test
        void stillLetsGuestsReadInternalAndPublicProjectsAndReportersReadPrivateOnes() throws IOException {
            Caller guest = TableCaller.GUEST.callerFor(1);
            assertThat(registry.download(guest, ProjectRef.ofId(1), VERSION, FilePath.of(FILE))).isPresent();
            assertThat(registry.download(guest, ProjectRef.ofId(2), VERSION, FilePath.of(FILE))).isPresent();
            Caller reporter = TableCaller.REPORTER.callerFor(3);
            assertThat(registry.download(reporter, ProjectRef.ofId(3), VERSION, FilePath.of(FILE))).isPresent();
        }
    }

    @Nested
    class Uploads {
        private final Caller dev = TableCaller.DEVELOPER.callerFor(3);

        @Test
        void refusesToReplaceAnExistingFile() {
            assertThat(refusal(() -> registry.upload(dev, ProjectRef.ofId(3), VERSION, FilePath.of(FILE), -1,
                    new ByteArrayInputStream(new byte[] {1}))).map(RegistryException::reason)).contains(Refusal.FILE_EXISTS);
        }

        @Test
        void refusesFilesOverTheMaximumAndStoresNothing() throws IOException {
            ModelRegistry small = ModelRegistry.builder()
                    .projects(new org.mlregistry.core.memory.InMemoryProjectLocator(RegistryFixture.projects()))
                    .tokens(new org.mlregistry.core.memory.InMemoryTokenAuthenticator(RegistryFixture.CLOCK, RegistryFixture.tokens()))
                    .store(files).maxFileSizeBytes(10).build();
            FilePath path = FilePath.of("big.bin");
            assertThat(refusal(() -> small.upload(dev, ProjectRef.ofId(3), VERSION, path, -1,
                    new ByteArrayInputStream(new byte[11]))).map(RegistryException::reason)).contains(Refusal.FILE_TOO_LARGE);
            assertThat(files.find(3, VERSION, path)).isEmpty();
            small.upload(dev, ProjectRef.ofId(3), VERSION, path, -1, new ByteArrayInputStream(new byte[10]));
            assertThat(files.find(3, VERSION, path).orElseThrow().metadata().size()).isEqualTo(10);
        }
    }
}
