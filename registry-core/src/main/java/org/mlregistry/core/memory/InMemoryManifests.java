package org.mlregistry.core.memory;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.Refusal;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.model.FileOverwrite;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.Manifest;
import org.mlregistry.core.model.ManifestFile;
import org.mlregistry.core.model.NewFile;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.model.StoredBlob;
import org.mlregistry.core.spi.ManifestCatalog;
import org.mlregistry.core.spi.WriteRefusals;

/**
 * The manifests of {@link InMemoryModelCatalog}: per version its current files, every row it ever held with the
 * revisions it was in, and the revisions with their names. Not synchronized itself: the catalog calls it holding its
 * one lock, which also serves as every blob's lock.
 */
final class InMemoryManifests {

    /** A row and the revisions it is in: from {@code from} until before {@code until} ({@code MAX_VALUE}: still). */
    private static final class Row {
        final ManifestFile file;
        final long from;
        long until = Long.MAX_VALUE;

        Row(ManifestFile file, long from) {
            this.file = file;
            this.from = from;
        }
    }

    /** A revision: when it was made, when superseded (null: current), its commit id once handed out. */
    private static final class Rev {
        @Nullable Instant superseded;
        @Nullable String commit;
    }

    private static final class Files {
        long revision;
        final Map<String, Row> current = new TreeMap<>();
        final List<Row> rows = new ArrayList<>();
        final Map<Long, Rev> revisions = new HashMap<>();

        Files() {
            revisions.put(0L, new Rev());
        }
    }

    private final Map<Long, Files> versions = new HashMap<>();
    private long nextFileId = 1;

    void versionCreated(long versionId) {
        versions.put(versionId, new Files());
    }

    void versionDeleted(long versionId) {
        versions.remove(versionId);
    }

    Optional<Manifest> manifest(long versionId) {
        Files f = versions.get(versionId);
        return f == null ? Optional.empty() : Optional.of(new Manifest(versionId, f.revision,
                f.current.values().stream().map(r -> r.file).toList()));
    }

    Optional<ManifestFile> findFile(long versionId, FilePath path) {
        Files f = versions.get(versionId);
        Row r = f == null ? null : f.current.get(name(path));
        return r == null ? Optional.empty() : Optional.of(r.file);
    }

    boolean isDirectory(long versionId, FilePath path) {
        Files f = versions.get(versionId);
        String dir = name(path) + "/";
        return f != null && f.current.keySet().stream().anyMatch(k -> k.startsWith(dir));
    }

    ManifestFile putFile(long versionId, NewFile file, FileOverwrite overwrite, ManifestCatalog.StorageStep place) throws IOException {
        Files f = filesOf(versionId);
        String name = name(file.path());
        Row existing = f.current.get(name);
        if (existing != null && overwrite == FileOverwrite.REFUSE) {
            throw WriteRefusals.fileExists();
        }
        checkConflicts(f, file.path());
        place.run();
        if (existing != null && existing.file.sha256().equals(file.sha256())) {
            return existing.file;
        }
        return put(f, file);
    }

    boolean adoptFile(long versionId, NewFile file, ManifestCatalog.StorageStep place) throws IOException {
        Files f = filesOf(versionId);
        if (f.current.containsKey(name(file.path()))) {
            return false;
        }
        checkConflicts(f, file.path());
        place.run();
        put(f, file);
        return true;
    }

    boolean removeFile(long versionId, FilePath path, Instant now) {
        Files f = versions.get(versionId);
        if (f == null) {
            return false;
        }
        Row r = f.current.remove(name(path));
        if (r == null) {
            return false;
        }
        long rev = next(f, now);
        r.until = rev;
        return true;
    }

    Optional<Manifest> manifestAt(long versionId, long revision) {
        Files f = versions.get(versionId);
        if (f == null || !f.revisions.containsKey(revision)) {
            return Optional.empty();
        }
        return Optional.of(new Manifest(versionId, revision,
                f.rows.stream().filter(r -> r.from <= revision && revision < r.until).map(r -> r.file).toList()));
    }

    void nameCommit(ManifestCatalog.Revision revision, String commitId) {
        Files f = versions.get(revision.versionId());
        Rev r = f == null ? null : f.revisions.get(revision.revision());
        if (r != null) {
            r.commit = commitId;
        }
    }

    Optional<ManifestCatalog.Revision> findCommit(Collection<Long> versionIds, String commitId) {
        ManifestCatalog.Revision found = null;
        for (long id : versionIds) {
            Files f = versions.get(id);
            if (f == null) {
                continue;
            }
            for (Map.Entry<Long, Rev> e : f.revisions.entrySet()) {
                if (commitId.equals(e.getValue().commit) && (found == null || e.getKey() > found.revision())) {
                    found = new ManifestCatalog.Revision(id, e.getKey());
                }
            }
        }
        return Optional.ofNullable(found);
    }

    int forgetHistory(Instant supersededBefore) {
        int forgotten = 0;
        for (Files f : versions.values()) {
            List<Long> gone = f.revisions.entrySet().stream()
                    .filter(e -> e.getValue().superseded != null && e.getValue().superseded.isBefore(supersededBefore))
                    .map(Map.Entry::getKey).toList();
            gone.forEach(f.revisions::remove);
            forgotten += gone.size();
            f.rows.removeIf(r -> r.until != Long.MAX_VALUE && f.revisions.keySet().stream().noneMatch(k -> r.from <= k && k < r.until));
        }
        return forgotten;
    }

    boolean referenced(Sha256 sha256) {
        return versions.values().stream().anyMatch(f -> f.rows.stream().anyMatch(r -> r.file.sha256().equals(sha256)));
    }

    List<StoredBlob> referencedBlobs(@Nullable Sha256 after, int limit) {
        TreeMap<String, StoredBlob> all = new TreeMap<>();
        for (Files f : versions.values()) {
            for (Row r : f.rows) {
                all.putIfAbsent(r.file.sha256().hex(), new StoredBlob(r.file.sha256(), r.file.size(), r.file.created()));
            }
        }
        return (after == null ? all : all.tailMap(after.hex(), false)).values().stream().limit(limit).toList();
    }

    /**
     * Puts the current files of manifest {@code from} into manifest {@code to} as one new revision of it: rows naming the
     * same blobs, with the times their content was uploaded.
     */
    void copyCurrent(long from, long to, Instant now) {
        Files source = filesOf(from);
        Files target = filesOf(to);
        if (source.current.isEmpty()) {
            return;
        }
        long rev = next(target, now);
        for (Row r : List.copyOf(source.current.values())) {
            ManifestFile f = r.file;
            Row row = new Row(new ManifestFile(nextFileId++, f.path(), f.size(), f.sha256(), f.created(), f.uploadedBy()), rev);
            Row old = target.current.put(f.name(), row);
            if (old != null) {
                old.until = rev;
            }
            target.rows.add(row);
        }
    }

    private Files filesOf(long versionId) {
        Files f = versions.get(versionId);
        if (f == null) {
            throw new RegistryException(Refusal.RESOURCE_DOES_NOT_EXIST, "Model version not found");
        }
        return f;
    }

    private ManifestFile put(Files f, NewFile file) {
        long rev = next(f, file.now());
        Row old = f.current.get(name(file.path()));
        if (old != null) {
            old.until = rev;
        }
        Row row = new Row(new ManifestFile(nextFileId++, file.path(), file.size(), file.sha256(), file.now(), file.uploadedBy()), rev);
        f.current.put(name(file.path()), row);
        f.rows.add(row);
        return row.file;
    }

    private static long next(Files f, Instant now) {
        Rev previous = f.revisions.get(f.revision);
        if (previous != null) {
            previous.superseded = now;
        }
        f.revision++;
        f.revisions.put(f.revision, new Rev());
        return f.revision;
    }

    /** A part of the path is a file, or the path is a directory: refused as the file system store refuses. */
    private static void checkConflicts(Files f, FilePath path) {
        List<String> segments = path.segments();
        for (int i = 1; i < segments.size(); i++) {
            String prefix = String.join("/", segments.subList(0, i));
            if (f.current.containsKey(prefix)) {
                throw WriteRefusals.fileInTheWay(segments.get(i - 1));
            }
        }
        String dir = name(path) + "/";
        if (f.current.keySet().stream().anyMatch(k -> k.startsWith(dir))) {
            throw WriteRefusals.directoryInTheWay(path.fileName());
        }
    }

    private static String name(FilePath path) {
        return String.join("/", path.segments());
    }
}
