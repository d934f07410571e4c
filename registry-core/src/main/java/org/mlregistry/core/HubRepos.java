package org.mlregistry.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.mlregistry.core.model.Caller;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.HubFile;
import org.mlregistry.core.model.HubRepoId;
import org.mlregistry.core.model.HubSnapshot;
import org.mlregistry.core.model.Manifest;
import org.mlregistry.core.model.ModelName;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.Project;
import org.mlregistry.core.model.ProjectRef;
import org.mlregistry.core.model.SemanticVersion;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.model.Visibility;
import org.mlregistry.core.spi.ManifestCatalog;
import org.mlregistry.core.spi.ModelFile;
import org.mlregistry.core.util.BoundedCache;

/**
 * Registered models seen as Hugging Face model repositories, so that {@code huggingface_hub} (and
 * everything built on it: {@code transformers}, {@code diffusers}, vLLM) loads their versions unchanged.
 * A repository is {@code <project namespace>/<model name>}; a revision is {@code main} (the latest
 * version), a semantic version, or a version's commit id. Reading needs what reading the version's files
 * needs. Refusals: the project's own ({@link Refusal#PROJECT_NOT_FOUND}, {@link Refusal#UNAUTHORIZED}, ...),
 * {@link Refusal#RESOURCE_DOES_NOT_EXIST} for a repository id that names no model here, and
 * {@link Refusal#REVISION_NOT_FOUND}.
 *
 * <pre>{@code
 * HubSnapshot s = registry.hub().snapshot(caller, ProjectRef.parse("team/models"), "p5/sentiment", "main");
 * s.commit(); // 40 hex characters, also accepted as a revision
 * }</pre>
 *
 * <p>Threading: safe for concurrent use, provided the SPIs are.
 */
public final class HubRepos {

    /** The revision that names a repository's latest version: the highest semantic version that has a file. */
    public static final String MAIN = "main";
    /** A version with more files than this is refused rather than listed on every request. */
    public static final int MAX_FILES = FileListings.MAX_FILES;
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
    private static final int MAX_REMEMBERED = 100_000;
    private static final int MAX_INDEXED_MODELS = 10_000;
    private final RegistryContext context;
    /** Commit id to version id, for commit ids handed out: saves listing every version to find one. */
    private final BoundedCache<String, Long> commits = new BoundedCache<>(MAX_REMEMBERED);
    /**
     * Every commit of a model's versions as listed at one time: an unknown commit is answered from it while it is
     * {@linkplain FileListings#fresh fresh}, so a client asking for commits that do not exist does not have every
     * version of the model listed on each request.
     */
    private final BoundedCache<ModelKey, CommitIndex> indexes = new BoundedCache<>(MAX_INDEXED_MODELS);
    /** Manifest revisions whose commit id was recorded in the catalog by this registry: each is recorded once. */
    private final BoundedCache<ManifestCatalog.Revision, String> named = new BoundedCache<>(MAX_REMEMBERED);
    /** Striped by model: one rebuild of a model's commit index at a time. */
    private final Object[] indexLocks = new Object[64];

    private record ModelKey(long projectId, ModelName name) {
    }

    private record CommitIndex(Map<String, Long> versions, Instant at) {
    }

    HubRepos(RegistryContext context) {
        this.context = context;
        for (int i = 0; i < indexLocks.length; i++) {
            indexLocks[i] = new Object();
        }
    }

    /** Whether {@code revision} has the form of a commit id (40 lower-case hex digits): it pins one content. */
    public static boolean isCommit(String revision) {
        return revision.length() == 40 && COMMIT.matcher(revision).matches();
    }

    /**
     * The version {@code revision} names in repository {@code repoId} of {@code project}, with its files.
     *
     * @throws RegistryException when the caller may not read the project, {@code repoId} names no model of
     *     it ({@link Refusal#RESOURCE_DOES_NOT_EXIST}), or {@code revision} no version
     *     ({@link Refusal#REVISION_NOT_FOUND})
     */
    public HubSnapshot snapshot(Caller caller, ProjectRef project, String repoId, String revision) throws IOException {
        return snapshot(context.authorize(caller, project, Access.READ), repoId, revision);
    }

    /**
     * As {@link #snapshot(Caller, ProjectRef, String, String)}, for a caller already authorized: one catalog call (the
     * model's versions; a second only to tell a model without versions from none), the files from the listing cache.
     */
    public HubSnapshot snapshot(Authorized reading, String repoId, String revision) throws IOException {
        Project p = context.require(reading, Access.READ).project();
        HubRepoId repo = HubRepoId.parse(repoId).filter(r -> r.namespace().equals(p.hubNamespace()))
                .orElseThrow(HubRepos::repoNotFound);
        ModelName name = new ModelName(repo.name());
        List<ModelVersion> versions = context.catalogCall("listVersions", () -> context.catalog().listVersions(p.id(), name));
        if (versions.isEmpty() && context.catalogCall("findModel", () -> context.catalog().findModel(p.id(), name)).isEmpty()) {
            throw repoNotFound();
        }
        boolean isPrivate = p.visibility() != Visibility.PUBLIC;
        if (isCommit(revision)) {
            return byCommit(repo, isPrivate, new ModelKey(p.id(), name), versions, revision);
        }
        if (revision.equals(MAIN)) {
            return main(repo, isPrivate, versions).orElseThrow(() -> revisionNotFound(revision));
        }
        ModelVersion version = pick(versions, revision).orElseThrow(() -> revisionNotFound(revision));
        return snapshotOf(repo, isPrivate, version);
    }

    /**
     * {@code main}: the highest semantic version that has a file, so that a version just created, whose upload has not
     * finished, is not what {@code from_pretrained} loads; the highest one when none has a file yet.
     */
    private Optional<HubSnapshot> main(HubRepoId repo, boolean isPrivate, List<ModelVersion> versions) throws IOException {
        List<ModelVersion> highestFirst = versions.stream().sorted(ModelVersion.PRECEDENCE.reversed()).toList();
        HubSnapshot highest = null;
        for (ModelVersion v : highestFirst) {
            HubSnapshot s = snapshotOf(repo, isPrivate, v);
            if (!s.files().isEmpty()) {
                return Optional.of(s);
            }
            if (highest == null) {
                highest = s;
            }
        }
        return Optional.ofNullable(highest);
    }

    /**
     * A file of a revision: as the revision lists it, and as storage holds it now. The two differ when the file was
     * replaced or removed since the listing; the caller then calls {@link #changed} and asks again.
     *
     * @param snapshot the revision
     * @param listed the file as the revision lists it; empty when the revision has no such file
     * @param stored the file storage holds now; empty when it has none (or the revision lists none)
     */
    public record Resolved(HubSnapshot snapshot, Optional<HubFile> listed, Optional<ModelFile> stored) {
    }

    /**
     * The file {@code path} of the revision {@code revision} of repository {@code repoId}: {@link #snapshot} and one
     * storage lookup, under the one authorization. Refusals are {@link #snapshot}'s.
     */
    public Resolved resolve(Authorized reading, String repoId, String revision, FilePath path) throws IOException {
        HubSnapshot s = snapshot(reading, repoId, revision);
        Optional<HubFile> listed = s.file(path);
        Optional<ModelFile> stored;
        if (listed.isEmpty()) {
            stored = Optional.empty();
        } else if (context.blobFiles().isPresent()) {
            // a revision's file is its blob, whatever the version's manifest holds now: old commits keep resolving
            stored = context.blobFiles().get().fileOf(s.version().projectId(), s.version().ref(), listed.get());
        } else {
            stored = context.files().find(s.version().projectId(), s.version().ref(), path);
        }
        return new Resolved(s, listed, stored);
    }

    private static Optional<ModelVersion> pick(List<ModelVersion> versions, String revision) {
        if (!SemanticVersion.isValid(revision)) {
            return Optional.empty();
        }
        return Models.byVersion(versions, SemanticVersion.parse(revision));
    }

    /**
     * The version whose files now give {@code commit}: the remembered one first, then the model's index of commits,
     * built anew (every version listed) only when it is no longer {@linkplain FileListings#fresh fresh}.
     */
    private HubSnapshot byCommit(HubRepoId repo, boolean isPrivate, ModelKey model, List<ModelVersion> versions, String commit)
            throws IOException {
        Long remembered = commits.get(commit);
        if (remembered != null) {
            Optional<HubSnapshot> s = snapshotIfCommit(repo, isPrivate, versions, remembered, commit);
            if (s.isPresent()) {
                return s.get();
            }
        }
        CommitIndex index = indexes.get(model);
        if (index == null || !context.listings().fresh(index.at())) {
            // one rebuild at a time per model: requests for unknown commits arriving together wait for it
            synchronized (indexLocks[Math.floorMod(model.hashCode(), indexLocks.length)]) {
                index = indexes.get(model);
                if (index == null || !context.listings().fresh(index.at())) {
                    Map<String, Long> all = new HashMap<>();
                    // newest first: a client most often asks for the commit of a recent version
                    for (ModelVersion v : versions.stream().sorted(Comparator.comparingLong(ModelVersion::id).reversed()).toList()) {
                        try {
                            all.put(snapshotOf(repo, isPrivate, v).commit(), v.id());
                        } catch (RegistryException tooManyFiles) {
                            // a version that cannot be listed has no commit a client could have had
                        }
                    }
                    index = new CommitIndex(Map.copyOf(all), context.now());
                    indexes.put(model, index);
                }
            }
        }
        Long indexed = index.versions().get(commit);
        if (indexed != null) {
            Optional<HubSnapshot> s = snapshotIfCommit(repo, isPrivate, versions, indexed, commit);
            if (s.isPresent()) {
                return s.get();
            }
        }
        Optional<BlobFileStore> blobFiles = context.blobFiles();
        if (blobFiles.isPresent()) {
            return fromHistory(blobFiles.get().manifests(), repo, isPrivate, versions, commit).orElseThrow(() -> revisionNotFound(commit));
        }
        throw revisionNotFound(commit);
    }

    /** The revision of a manifest that {@code commit} named when it was handed out, while history keeps it. */
    private Optional<HubSnapshot> fromHistory(ManifestCatalog manifests, HubRepoId repo, boolean isPrivate, List<ModelVersion> versions,
                                              String commit) {
        List<Long> ids = versions.stream().map(ModelVersion::id).toList();
        Optional<ManifestCatalog.Revision> found = context.catalogCall("findCommit", () -> manifests.findCommit(ids, commit));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ManifestCatalog.Revision r = found.get();
        Optional<Manifest> manifest = context.catalogCall("manifestAt", () -> manifests.manifestAt(r.versionId(), r.revision()));
        Optional<ModelVersion> version = versions.stream().filter(v -> v.id() == r.versionId()).findFirst();
        if (manifest.isEmpty() || version.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new HubSnapshot(repo, isPrivate, version.get(), commit, manifest.get().hubFiles()));
    }

    private Optional<HubSnapshot> snapshotIfCommit(HubRepoId repo, boolean isPrivate, List<ModelVersion> versions, long versionId,
                                                   String commit) throws IOException {
        for (ModelVersion v : versions) {
            if (v.id() == versionId) {
                HubSnapshot s = snapshotOf(repo, isPrivate, v);
                return s.commit().equals(commit) ? Optional.of(s) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Forgets what is known of a version's files: one was added, replaced or removed, or served as other bytes. */
    public void changed(long versionId) {
        context.listings().changed(versionId);
    }

    private HubSnapshot snapshotOf(HubRepoId repo, boolean isPrivate, ModelVersion version) throws IOException {
        FileListings.Listing listing = context.listings().listingOf(version);
        List<HubFile> files = listing.files();
        String commit = commitId(version.id(), files);
        commits.put(commit, version.id());
        Optional<BlobFileStore> blobFiles = context.blobFiles();
        if (blobFiles.isPresent() && listing.revision().isPresent()) {
            remember(blobFiles.get().manifests(), new ManifestCatalog.Revision(version.id(), listing.revision().get()), commit);
        }
        return new HubSnapshot(repo, isPrivate, version, commit, files);
    }

    /** Records in the catalog, once, that {@code commit} names the revision: handed out, it must resolve later. */
    private void remember(ManifestCatalog manifests, ManifestCatalog.Revision revision, String commit) {
        if (!commit.equals(named.get(revision))) {
            context.catalogCall("nameCommit", () -> {
                manifests.nameCommit(revision, commit);
                return Boolean.TRUE;
            });
            named.put(revision, commit);
        }
    }

    /**
     * The commit id of version {@code versionId} holding {@code files}: the first 20 bytes, in hex, of the
     * SHA-256 of the version id and each file's path and SHA-256 in path order. Deterministic, different
     * for every version, and changed by any file added, replaced or removed.
     */
    public static String commitId(long versionId, List<HubFile> files) {
        return treeId("mlregistry hub commit 1\nversion " + versionId, files);
    }

    /**
     * 40 hex characters naming {@code files} under {@code header}, as a git tree id names a directory: the first
     * 20 bytes of the SHA-256 of the header line and each file's path and SHA-256 in path order.
     */
    public static String treeId(String header, List<HubFile> files) {
        MessageDigest d = Sha256.newDigest();
        d.update((header + "\n").getBytes(StandardCharsets.UTF_8));
        for (HubFile f : files.stream().sorted(Comparator.comparing(HubFile::name)).toList()) {
            d.update((f.name() + "\0" + f.sha256().hex() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(d.digest(), 0, 20);
    }

    private static RegistryException repoNotFound() {
        return new RegistryException(Refusal.RESOURCE_DOES_NOT_EXIST, "Repository not found");
    }

    private static RegistryException revisionNotFound(String revision) {
        // the revision is client text: named only when it is one of the shapes a revision can have
        boolean nameable = revision.equals(MAIN) || isCommit(revision) || SemanticVersion.isValid(revision);
        return new RegistryException(Refusal.REVISION_NOT_FOUND,
                nameable ? "Invalid rev id: " + revision : "Invalid rev id");
    }
}
