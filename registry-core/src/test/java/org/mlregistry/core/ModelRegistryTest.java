package org.mlregistry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mlregistry.core.testing.RegistryFixture.FILE;
import static org.mlregistry.core.testing.RegistryFixture.VERSION;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlregistry.core.http.base.ErrorTable;
import org.mlregistry.core.memory.InMemoryModelFileStore;
import org.mlregistry.core.memory.InMemoryProjectLocator;
import org.mlregistry.core.memory.InMemoryTokenAuthenticator;
import org.mlregistry.core.model.Caller;
import org.mlregistry.core.model.Declared;
import org.mlregistry.core.model.FileOverwrite;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ModelVersionRef;
import org.mlregistry.core.model.Project;
import org.mlregistry.core.model.ProjectRef;
import org.mlregistry.core.model.Sha256;
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
                        assertThat(ErrorTable.of(e.reason()).status()).isEqualTo(row.read().status());
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
            registry.upload(credential, ref, VERSION, path, Declared.NOTHING, new ByteArrayInputStream(content));
            assertThat(bytes(files.find(row.project().id(), VERSION, path).orElseThrow())).isEqualTo(content);
        } else {
            assertThatThrownBy(() -> registry.upload(credential, ref, VERSION, path, Declared.NOTHING, new ByteArrayInputStream(content)))
                    .isInstanceOfSatisfying(RegistryException.class, e -> {
                        assertThat(e.reason()).isEqualTo(row.write().refusal());
                        assertThat(ErrorTable.of(e.reason()).status()).isEqualTo(row.write().status());
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

        private ModelRegistry registry(FileOverwrite registryPolicy, FileOverwrite privateProjectPolicy) {
            List<Project> projects = new ArrayList<>(RegistryFixture.projects());
            Project p = projects.remove(2);
            projects.add(2, new Project(p.id(), p.fullPath(), p.visibility(), p.members(), p.jobTokenAllowlist(),
                    privateProjectPolicy));
            return ModelRegistry.builder()
                    .projects(new InMemoryProjectLocator(projects))
                    .tokens(new InMemoryTokenAuthenticator(RegistryFixture.CLOCK, RegistryFixture.tokens()))
                    .store(files).fileOverwrite(registryPolicy).build();
        }

        private Optional<Refusal> upload(ModelRegistry r, long project, String content) {
            return refusal(() -> r.upload(TableCaller.DEVELOPER.callerFor(project), ProjectRef.ofId(project), VERSION,
                    FilePath.of(FILE), Declared.NOTHING, new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8))))
                    .map(RegistryException::reason);
        }

        @Test
        void replacesAnExistingFileByDefaultAsGitLabServesTheNewestUpload() throws IOException {
            assertThat(refusal(() -> registry.upload(dev, ProjectRef.ofId(3), VERSION, FilePath.of(FILE), Declared.NOTHING,
                    new ByteArrayInputStream(new byte[] {1})))).isEmpty();
            assertThat(bytes(files.find(3, VERSION, FilePath.of(FILE)).orElseThrow())).containsExactly(1);
        }

        @Test
        void followsTheProjectsOverwritePolicyBeforeTheRegistrys() throws IOException {
            ModelRegistry refusingHere = registry(FileOverwrite.REPLACE, FileOverwrite.REFUSE);
            assertThat(upload(refusingHere, 3, "new")).contains(Refusal.FILE_EXISTS);
            assertThat(upload(refusingHere, 1, "new")).isEmpty();
            ModelRegistry replacingHere = registry(FileOverwrite.REFUSE, FileOverwrite.REPLACE);
            assertThat(upload(replacingHere, 3, "newer")).isEmpty();
            assertThat(upload(replacingHere, 1, "newer")).contains(Refusal.FILE_EXISTS);
            assertThat(bytes(files.find(3, VERSION, FilePath.of(FILE)).orElseThrow())).isEqualTo("newer".getBytes(StandardCharsets.UTF_8));
            assertThat(bytes(files.find(1, VERSION, FilePath.of(FILE)).orElseThrow())).isEqualTo("new".getBytes(StandardCharsets.UTF_8));
        }

        @Test
        void refusesADeclaredSizeOverTheMaximumBeforeReadingAByte() {
            InputStream untouchable = new InputStream() {
                @Override
                public int read() {
                    throw new AssertionError("the body must not be read");
                }
            };
            Declared huge = new Declared(ModelRegistry.DEFAULT_MAX_FILE_SIZE_BYTES + 1, null);
            assertThat(refusal(() -> registry.upload(dev, ProjectRef.ofId(3), VERSION, FilePath.of("x.bin"), huge, untouchable))
                    .map(RegistryException::reason)).contains(Refusal.FILE_TOO_LARGE);
            assertThat(refusal(() -> registry.upload(TableCaller.ANONYMOUS.callerFor(3), ProjectRef.ofId(3), VERSION,
                    FilePath.of("x.bin"), Declared.NOTHING, untouchable)).map(RegistryException::reason))
                    .contains(Refusal.UNAUTHORIZED);
        }

        @Test
        void storesOnlyContentWithTheDeclaredDigest() throws IOException {
            byte[] content = "weights".getBytes(StandardCharsets.UTF_8);
            Declared wrong = new Declared(content.length, Sha256.hash(new byte[0]));
            assertThat(refusal(() -> registry.upload(dev, ProjectRef.ofId(3), VERSION, FilePath.of("d.bin"), wrong,
                    new ByteArrayInputStream(content))).map(RegistryException::reason)).contains(Refusal.CHECKSUM_MISMATCH);
            assertThat(files.find(3, VERSION, FilePath.of("d.bin"))).isEmpty();
            registry.upload(dev, ProjectRef.ofId(3), VERSION, FilePath.of("d.bin"), new Declared(-1, Sha256.hash(content)),
                    new ByteArrayInputStream(content));
            assertThat(files.find(3, VERSION, FilePath.of("d.bin")).orElseThrow().knownSha256()).contains(Sha256.hash(content));
        }

        @Test
        void refusesFilesOverTheMaximumAndStoresNothing() throws IOException {
            ModelRegistry small = ModelRegistry.builder()
                    .projects(new InMemoryProjectLocator(RegistryFixture.projects()))
                    .tokens(new InMemoryTokenAuthenticator(RegistryFixture.CLOCK, RegistryFixture.tokens()))
                    .store(files).maxFileSizeBytes(10).build();
            FilePath path = FilePath.of("big.bin");
            assertThat(refusal(() -> small.upload(dev, ProjectRef.ofId(3), VERSION, path, Declared.NOTHING,
                    new ByteArrayInputStream(new byte[11]))).map(RegistryException::reason)).contains(Refusal.FILE_TOO_LARGE);
            assertThat(files.find(3, VERSION, path)).isEmpty();
            small.upload(dev, ProjectRef.ofId(3), VERSION, path, Declared.NOTHING, new ByteArrayInputStream(new byte[10]));
            assertThat(files.find(3, VERSION, path).orElseThrow().metadata().size()).isEqualTo(10);
        }
    }
}
