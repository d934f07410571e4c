package org.mlregistry.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.model.Caller;
import org.mlregistry.core.model.DirectoryPath;
import org.mlregistry.core.model.FileEntry;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.HubFile;
import org.mlregistry.core.model.HubRepoId;
import org.mlregistry.core.model.HubSnapshot;
import org.mlregistry.core.model.ModelName;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.Project;
import org.mlregistry.core.model.ProjectRef;
import org.mlregistry.core.model.SemanticVersion;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.model.Visibility;
import org.mlregistry.core.spi.ModelFile;
import org.mlregistry.core.util.BoundedCache;

/**
 * Registered models seen as Hugging Face model repositories, so that {@code huggingface_hub} (and
 * everything built on it: {@code transformers}, {@code diffusers}, vLLM) loads their versions unchanged.
 * A repository is {@code <project namespace>/<model name>}; a revision is {@code main} (the newest
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

    /** The revision that names a repository's newest version. */
    public static final String MAIN = "main";
    /** A version with more files than this is refused rather than listed on every request. */
    public static final int MAX_FILES = 10_000;
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
    private static final int MAX_REMEMBERED = 100_000;
    private static final int MAX_INDEXED_MODELS = 10_000;
    /**
     * How long what was learnt of a version's files, or of a model's commits, is reused: {@code snapshot_download}
     * asks for every file of a version in turn, and listing and looking up every file for each would cost the square
     * of their number; a client asking for commits that do not exist would otherwise have every version of the model
     * listed on each request. Invalidation: uploads and deletes through this registry drop a version's entry at once
     * ({@link #changed}); changes made elsewhere (another node, by hand) show within this time, by the registry's clock.
     */
    static final Duration FILES_TTL = Duration.ofSeconds(2);

    private final ModelRegistry registry;
    /** Commit id to version id, for commit ids handed out: saves listing every version to find one. */
    private final BoundedCache<String, Long> commits = new BoundedCache<>(MAX_REMEMBERED);
    private final BoundedCache<Long, Listed> listed = new BoundedCache<>(MAX_REMEMBERED);
    /** Every commit of a model's versions as listed at one time: an unknown commit is answered from it while fresh. */
    private final BoundedCache<ModelKey, CommitIndex> indexes = new BoundedCache<>(MAX_INDEXED_MODELS);
    /** Striped by model: one rebuild of a model's commit index at a time. */
    private final Object[] indexLocks = new Object[64];

    /** A version's files as listed at {@code at}; {@code null} files: the version has more than {@link #MAX_FILES}. */
    private record Listed(@Nullable List<HubFile> files, Instant at) {
    }

    private record ModelKey(long projectId, ModelName name) {
    }

    private record CommitIndex(Map<String, Long> versions, Instant at) {
    }

    HubRepos(ModelRegistry registry) {
        this.registry = registry;
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
        Project p = registry.authorize(caller, project, Access.READ).project();
        HubRepoId repo = HubRepoId.parse(repoId).filter(r -> r.namespace().equals(p.hubNamespace()))
                .orElseThrow(HubRepos::repoNotFound);
        ModelName name = new ModelName(repo.name());
        CatalogCalls calls = registry.catalogCalls();
        if (calls.call("findModel", () -> registry.catalog().findModel(p.id(), name)).isEmpty()) {
            throw repoNotFound();
        }
        List<ModelVersion> versions = calls.call("listVersions", () -> registry.catalog().listVersions(p.id(), name));
        boolean isPrivate = p.visibility() != Visibility.PUBLIC;
        if (isCommit(revision)) {
            return byCommit(repo, isPrivate, new ModelKey(p.id(), name), versions, revision);
        }
        ModelVersion version = pick(versions, revision).orElseThrow(() -> revisionNotFound(revision));
        return snapshotOf(repo, isPrivate, version);
    }

    private static Optional<ModelVersion> pick(List<ModelVersion> versions, String revision) {
        if (revision.equals(MAIN)) {
            return versions.stream().max(Comparator.comparingLong(ModelVersion::id));
        }
        if (!SemanticVersion.isValid(revision)) {
            return Optional.empty();
        }
        return Models.byVersion(versions, SemanticVersion.parse(revision));
    }

    /**
     * The version whose files now give {@code commit}: the remembered one first, then the model's index of commits,
     * built anew (every version listed) only when it is older than {@link #FILES_TTL}.
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
        if (index == null || !fresh(index.at())) {
            // one rebuild at a time per model: requests for unknown commits arriving together wait for it
            synchronized (indexLocks[Math.floorMod(model.hashCode(), indexLocks.length)]) {
                index = indexes.get(model);
                if (index == null || !fresh(index.at())) {
                    Map<String, Long> all = new HashMap<>();
                    // newest first: a client most often asks for the commit of a recent version
                    for (ModelVersion v : versions.stream().sorted(Comparator.comparingLong(ModelVersion::id).reversed()).toList()) {
                        try {
                            all.put(snapshotOf(repo, isPrivate, v).commit(), v.id());
                        } catch (RegistryException tooManyFiles) {
                            // a version that cannot be listed has no commit a client could have had
                        }
                    }
                    index = new CommitIndex(Map.copyOf(all), registry.clock().instant());
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
        throw revisionNotFound(commit);
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
        listed.remove(versionId);
    }

    private HubSnapshot snapshotOf(HubRepoId repo, boolean isPrivate, ModelVersion version) throws IOException {
        List<HubFile> files = filesOf(version);
        String commit = commitId(version.id(), files);
        commits.put(commit, version.id());
        return new HubSnapshot(repo, isPrivate, version, commit, files);
    }

    /** Whether what was learnt {@code at} may still be used: less than {@link #FILES_TTL} ago (and not in the future). */
    private boolean fresh(Instant at) {
        Instant now = registry.clock().instant();
        return !now.isBefore(at) && now.isBefore(at.plus(FILES_TTL));
    }

    private List<HubFile> filesOf(ModelVersion version) throws IOException {
        Listed known = listed.get(version.id());
        if (known == null || !fresh(known.at())) {
            Instant now = registry.clock().instant();
            List<HubFile> files = new ArrayList<>();
            boolean complete = collect(version, DirectoryPath.TOP, files);
            known = new Listed(complete ? List.copyOf(files) : null, now);
            listed.put(version.id(), known);
        }
        List<HubFile> files = known.files();
        if (files == null) {
            throw new RegistryException(Refusal.INVALID_PARAMETER_VALUE,
                    "a version with more than " + MAX_FILES + " files cannot be listed for Hugging Face clients");
        }
        return files;
    }

    /** Adds the files under {@code dir} to {@code out}; false, at once, when there are more than {@link #MAX_FILES}. */
    private boolean collect(ModelVersion version, DirectoryPath dir, List<HubFile> out) throws IOException {
        for (FileEntry e : registry.files().list(version.projectId(), version.ref(), dir)) {
            if (e.directory()) {
                if (dir.segments().size() < FilePath.MAX_DEPTH) {
                    List<String> sub = new ArrayList<>(dir.segments());
                    sub.add(e.name());
                    if (!collect(version, new DirectoryPath(sub), out)) {
                        return false;
                    }
                }
                continue;
            }
            if (out.size() >= MAX_FILES) {
                return false;
            }
            FilePath path = dir.file(e.name());
            Optional<ModelFile> file = registry.files().find(version.projectId(), version.ref(), path);
            if (file.isPresent()) { // else deleted since it was listed
                ModelFile f = file.get();
                Sha256 sha;
                try {
                    sha = f.sha256();
                } catch (NoSuchFileException gone) {
                    continue; // deleted, or renamed away, while it was hashed
                }
                out.add(new HubFile(path, f.metadata().size(), sha, f.metadata().lastModified()));
            }
        }
        return true;
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
