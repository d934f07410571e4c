package org.mlregistry.storage.fs;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.model.FileEntry;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ModelVersionRef;
import org.mlregistry.core.spi.WriteRefusals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of the file store an auditor reads: how validated names become paths below the root, and how symbolic
 * links are judged. Only validated segments are ever joined to the root, one file name each; a link is followed only
 * while it stays inside the root and outside the registry's own {@value FileSystemModelFileStore#INTERNAL_DIR}; a
 * directory an upload writes into is decided level by level, before anything there is looked at, so the answer never
 * depends on what exists outside. Everything that reads or writes a stored file asks here first.
 *
 * <p>Threading: immutable.
 */
final class RootPaths {

    private static final Logger LOG = LoggerFactory.getLogger(RootPaths.class);

    private final Path root;
    private final Path internal;

    /** Paths below {@code root}, a real path, whose own files are in {@code internal}. */
    RootPaths(Path root, Path internal) {
        this.root = root;
        this.internal = internal;
    }

    Path root() {
        return root;
    }

    Path internal() {
        return internal;
    }

    Path versionDir(long projectId, ModelVersionRef version) {
        return root.resolve(Long.toString(projectId)).resolve(version.directoryName());
    }

    Path map(long projectId, ModelVersionRef version, FilePath path) {
        Path p = versionDir(projectId, version);
        for (String segment : path.segments()) {
            Path next = p.resolve(segment);
            // FilePath already excludes separators and dot segments; this guards file systems with other rules
            if (!p.equals(next.getParent()) || !next.getFileName().toString().equals(segment)) {
                throw new IllegalArgumentException("segment does not map to one file name: " + segment);
            }
            p = next;
        }
        return p;
    }

    boolean isServable(Path real) {
        return real.startsWith(root) && !real.equals(root) && !real.startsWith(internal);
    }

    /**
     * The attributes of {@code candidate} when no component below the (real) root is a symbolic link, so
     * the path is its own real path; {@code null} when one is. One {@code lstat} per component below the
     * root, which is cheaper than resolving the real path from the file-system root on every request.
     */
    @Nullable BasicFileAttributes walkWithoutLinks(Path candidate) throws IOException {
        Path p = root;
        @Nullable BasicFileAttributes attrs = null;
        for (Path name : root.relativize(candidate)) {
            p = p.resolve(name);
            attrs = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attrs.isSymbolicLink()) {
                return null;
            }
        }
        return attrs;
    }

    /** The real path of {@code dir} when it is a directory inside the root (links followed only inside). */
    Optional<Path> insideDirectory(Path dir) throws IOException {
        try {
            Path real = dir.toRealPath();
            return isServable(real) && Files.isDirectory(real) ? Optional.of(real) : Optional.empty();
        } catch (NoSuchFileException | NotDirectoryException e) {
            return Optional.empty();
        } catch (FileSystemException e) {
            if (StorageFailures.meansAbsent(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** A listed child: a file or directory inside the root (a link is judged by where it leads), else nothing. */
    Optional<FileEntry> entry(Path child, String name) throws IOException {
        BasicFileAttributes attrs = attributesOrNull(child);
        if (attrs != null && attrs.isSymbolicLink()) {
            try {
                Path target = child.toRealPath();
                attrs = isServable(target) ? Files.readAttributes(target, BasicFileAttributes.class) : null;
            } catch (IOException e) {
                attrs = null; // dangling or a loop: not listed, as it cannot be downloaded
            }
        }
        if (attrs == null) {
            return Optional.empty();
        }
        if (attrs.isDirectory()) {
            return Optional.of(FileEntry.directory(name));
        }
        return attrs.isRegularFile() ? Optional.of(FileEntry.file(name, attrs.size())) : Optional.empty();
    }

    /**
     * Creates {@code dir} one level at a time, deciding at each level what stands there before going deeper:
     * a directory is entered, a link is followed only to a directory inside the root, anything else is a
     * conflict. So a link leading outside is refused the same way whatever exists behind it, and nothing
     * is created behind it.
     *
     * @param created receives each directory this call created, outermost first
     * @return the real path of {@code dir}
     */
    Path directoryInside(Path dir, List<Path> created) throws IOException {
        Path real = root;
        for (Path name : root.relativize(dir)) {
            Path next = real.resolve(name);
            BasicFileAttributes attrs = attributesOrNull(next);
            if (attrs == null) {
                try {
                    Files.createDirectory(next);
                    created.add(next);
                    real = next;
                    continue;
                } catch (FileAlreadyExistsException raced) {
                    // created by a concurrent upload, which may already have removed it again (it failed, or its
                    // version was deleted): what is there now decides
                    attrs = attributesOrNull(next);
                    if (attrs == null) {
                        Files.createDirectory(next); // once more; a second race is an error of its own
                        created.add(next);
                        real = next;
                        continue;
                    }
                }
            }
            if (attrs.isDirectory()) {
                real = next;
            } else if (attrs.isSymbolicLink()) {
                real = linkedDirectory(next, name.toString());
            } else {
                throw WriteRefusals.fileInTheWay(name.toString());
            }
        }
        return real;
    }

    /** The real directory a link inside the root leads to, or a refusal that says nothing of its target. */
    private Path linkedDirectory(Path link, String name) {
        try {
            Path target = link.toRealPath();
            if (isServable(target) && Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                return target;
            }
        } catch (IOException e) {
            // dangling, a loop, or unreadable: refused below exactly like a link leading outside
        }
        LOG.debug("refusing to write through the link {}", link);
        throw WriteRefusals.notWritable(name);
    }

    static @Nullable BasicFileAttributes attributesOrNull(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
