package org.mlregistry.core.testing;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.memory.InMemoryProjectLocator;
import org.mlregistry.core.memory.InMemoryTokenAuthenticator;
import org.mlregistry.core.memory.StoredToken;
import org.mlregistry.core.model.ModelVersionRef;
import org.mlregistry.core.model.Project;
import org.mlregistry.core.model.Role;
import org.mlregistry.core.model.Scope;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.model.Visibility;
import org.mlregistry.core.spi.ModelFileStore;

/**
 * The world the permission tests run in: three target projects (public, internal, private) with a
 * guest, reporter, developer and maintainer each, two CI source projects, and a token of every kind.
 * Secrets are plain strings here; the registry only ever sees their SHA-256.
 */
public final class RegistryFixture {

    /** "Now" for every test: tokens expiring before this date are expired. */
    public static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    public static final Project PUBLIC = target(1, "grp/public-model", Visibility.PUBLIC);
    public static final Project INTERNAL = target(2, "grp/internal-model", Visibility.INTERNAL);
    /** Mixed case on purpose: paths match case-insensitively. */
    public static final Project PRIVATE = target(3, "grp/Private-Model", Visibility.PRIVATE);
    /** A CI project every target allowlists. */
    public static final Project CI_ALLOWED = new Project(10, "ci/allowed-source", Visibility.PRIVATE,
            Map.of("dev", Role.DEVELOPER), Set.of());
    /** A CI project no target allowlists. */
    public static final Project CI_OTHER = new Project(11, "ci/other-source", Visibility.PRIVATE,
            Map.of("dev", Role.DEVELOPER), Set.of());

    public static final List<Project> TARGETS = List.of(PUBLIC, INTERNAL, PRIVATE);
    public static final ModelVersionRef VERSION = ModelVersionRef.ofVersion(1);
    public static final String FILE = "model.bin";

    private RegistryFixture() {
    }

    private static Project target(long id, String path, Visibility v) {
        return new Project(id, path, v, Map.of("gst", Role.GUEST, "rep", Role.REPORTER, "dev", Role.DEVELOPER,
                "mnt", Role.MAINTAINER), Set.of(CI_ALLOWED_ID));
    }

    private static final long CI_ALLOWED_ID = 10;

    /** The content of the fixture file in {@code project}. */
    public static byte[] content(Project project) {
        return ("weights of " + project.fullPath() + "\n").getBytes(StandardCharsets.UTF_8);
    }

    public static List<Project> projects() {
        return List.of(PUBLIC, INTERNAL, PRIVATE, CI_ALLOWED, CI_OTHER);
    }

    /** Every token of the fixture; secrets are those {@link TableCaller} sends. */
    public static List<StoredToken> tokens() {
        List<StoredToken> t = new ArrayList<>();
        for (String user : List.of("gst", "rep", "dev", "mnt", "outsider")) {
            t.add(StoredToken.personal(user, hash("pat-" + user), Set.of(Scope.API), LocalDate.of(2027, 1, 1), false));
        }
        t.add(StoredToken.personal("dev", hash("pat-read-api"), Set.of(Scope.READ_API), null, false));
        t.add(StoredToken.personal("dev", hash("pat-expired"), Set.of(Scope.API), LocalDate.of(2026, 6, 1), false));
        t.add(StoredToken.personal("dev", hash("pat-revoked"), Set.of(Scope.API), null, true));
        t.add(StoredToken.personal("dev", hash("pat-wrong-scope"), Set.of(Scope.READ_USER, Scope.READ_REPOSITORY), null, false));
        for (Project p : TARGETS) {
            t.add(StoredToken.job("dev", p.id(), hash("job-own-" + p.id()), true));
            t.add(StoredToken.job("dev", p.id(), hash("job-finished-" + p.id()), false));
            t.add(StoredToken.deploy(p.id(), hash("deploy-read-" + p.id()), Set.of(Scope.READ_PACKAGE_REGISTRY), null, false));
            t.add(StoredToken.deploy(p.id(), hash("deploy-write-" + p.id()), Set.of(Scope.WRITE_PACKAGE_REGISTRY), null, false));
        }
        t.add(StoredToken.job("dev", CI_ALLOWED.id(), hash("job-allowed"), true));
        t.add(StoredToken.job("dev", CI_OTHER.id(), hash("job-not-allowed"), true));
        t.add(StoredToken.deploy(CI_ALLOWED.id(), hash("deploy-other"),
                Set.of(Scope.READ_PACKAGE_REGISTRY, Scope.WRITE_PACKAGE_REGISTRY), null, false));
        return t;
    }

    /** A registry over the fixture's projects and tokens and the given files. */
    public static ModelRegistry registry(ModelFileStore files, boolean guestsCanReadPrivate) {
        return ModelRegistry.builder()
                .projects(new InMemoryProjectLocator(projects()))
                .tokens(new InMemoryTokenAuthenticator(CLOCK, tokens()))
                .store(files)
                .guestsCanReadPrivate(guestsCanReadPrivate)
                .build();
    }

    private static Sha256 hash(String secret) {
        return Sha256.ofSecret(secret);
    }
}
