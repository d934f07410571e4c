package org.mlregistry.core;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.model.DirectoryPath;
import org.mlregistry.core.model.FileEntry;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.HubFile;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.spi.ModelFile;
import org.mlregistry.core.spi.ModelFileResolver;
import org.mlregistry.core.util.BoundedCache;

/**
 * Every file of a version with its size and SHA-256, as listed from storage, kept for a short while: Hugging Face
 * clients ask for every file of a version in turn ({@code snapshot_download}), and listing and looking up every file
 * for each would cost the square of their number. A version with more than {@link #MAX_FILES} files is refused, and
 * that refusal is kept as long.
 *
 * <p>Invalidation rule: an entry lives {@link #TTL} by the registry's clock (a clock that steps back ends it);
 * uploads and deletions through this registry drop a version's entry at once ({@link #changed}); changes made
 * elsewhere (another node, by hand) show within the TTL. Bounded to {@value #MAX_REMEMBERED} versions.
 *
 * <p>Threading: safe for concurrent use.
 */
final class FileListings {

    /** A version with more files than this is refused rather than listed on every request. */
    static final int MAX_FILES = 10_000;
    /** How long a listing is reused. */
    static final Duration TTL = Duration.ofSeconds(2);
    private static final int MAX_REMEMBERED = 100_000;

    /**
     * A version's files as listed at {@code at}; {@code null} files: the version has more than {@link #MAX_FILES}. The
     * revision is its manifest's, when the files are exactly that manifest's.
     */
    private record Listed(@Nullable List<HubFile> files, Optional<Long> revision, Instant at) {
    }

    /** Every file of a version, and the revision of its manifest they are, if they are one. */
    record Listing(List<HubFile> files, Optional<Long> revision) {
    }

    private final ModelFileResolver files;
    private final @Nullable BlobFileStore blobFiles;
    private final Clock clock;
    private final BoundedCache<Long, Listed> listed = new BoundedCache<>(MAX_REMEMBERED);

    FileListings(ModelFileResolver files, @Nullable BlobFileStore blobFiles, Clock clock) {
        this.files = files;
        this.blobFiles = blobFiles;
        this.clock = clock;
    }

    /** Whether what was learnt {@code at} may still be used: less than {@link #TTL} ago (and not in the future). */
    boolean fresh(Instant at) {
        Instant now = clock.instant();
        return !now.isBefore(at) && now.isBefore(at.plus(TTL));
    }

    /**
     * Every file of {@code version}, sorted by nothing in particular.
     *
     * @throws RegistryException {@link Refusal#INVALID_PARAMETER_VALUE} for a version with more than {@link #MAX_FILES}
     */
    List<HubFile> filesOf(ModelVersion version) throws IOException {
        return listingOf(version).files();
    }

    /** As {@link #filesOf}, with the manifest revision the files are, when they are one. */
    Listing listingOf(ModelVersion version) throws IOException {
        Listed known = listed.get(version.id());
        if (known == null || !fresh(known.at())) {
            Instant now = clock.instant();
            known = list(version, now);
            listed.put(version.id(), known);
        }
        List<HubFile> list = known.files();
        if (list == null) {
            throw new RegistryException(Refusal.INVALID_PARAMETER_VALUE,
                    "a version with more than " + MAX_FILES + " files cannot be listed for Hugging Face clients");
        }
        return new Listing(list, known.revision());
    }

    private Listed list(ModelVersion version, Instant now) throws IOException {
        if (blobFiles != null) {
            Optional<BlobFileStore.Listing> l = blobFiles.listing(version.projectId(), version.ref());
            List<HubFile> all = l.map(BlobFileStore.Listing::files).orElse(List.of());
            return all.size() > MAX_FILES ? new Listed(null, Optional.empty(), now)
                    : new Listed(List.copyOf(all), l.flatMap(BlobFileStore.Listing::revision), now);
        }
        List<HubFile> found = new ArrayList<>();
        boolean complete = collect(version, DirectoryPath.TOP, found);
        return new Listed(complete ? List.copyOf(found) : null, Optional.empty(), now);
    }

    /** Forgets what is known of a version's files: one was added, replaced or removed, or found to be other bytes. */
    void changed(long versionId) {
        listed.remove(versionId);
    }

    /** Adds the files under {@code dir} to {@code out}; false, at once, when there are more than {@link #MAX_FILES}. */
    private boolean collect(ModelVersion version, DirectoryPath dir, List<HubFile> out) throws IOException {
        for (FileEntry e : files.list(version.projectId(), version.ref(), dir)) {
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
            Optional<ModelFile> file = files.find(version.projectId(), version.ref(), path);
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
}
