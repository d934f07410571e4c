package org.mlregistry.catalog.jdbc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.h2.mvstore.MVStoreTool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shrinks the embedded catalog's file before it is opened. The catalog appends every change to its H2 file
 * and never writes into freed space (see {@link CatalogDataSources#h2}), so the file only grows while a
 * process runs; at the next start, a file above a threshold is rewritten with its live data only by H2's
 * own {@link MVStoreTool#compact(String, boolean)}, which writes a new file beside it and moves it into
 * place, so a process killed while compacting leaves the old file whole (H2 removes the leftover at open).
 */
final class H2FileCompaction {

    private static final Logger LOG = LoggerFactory.getLogger(H2FileCompaction.class);

    private H2FileCompaction() {
    }

    /**
     * Compacts {@code file} (an H2 {@code .mv.db} file) when it is larger than {@code threshold} bytes. A
     * file that cannot be compacted (held by another process, say) is left as it is: opening it reports
     * whatever is wrong.
     */
    static void compactIfLarger(Path file, long threshold) {
        long before;
        try {
            before = Files.size(file);
        } catch (NoSuchFileException e) {
            return; // a new catalog
        } catch (IOException e) {
            LOG.warn("could not read the size of the catalog file {}: {}", file, e.toString());
            return;
        }
        if (before <= threshold) {
            return;
        }
        long started = System.nanoTime();
        try {
            MVStoreTool.compact(file.toString(), false);
            LOG.info("compacted the catalog file {} from {} to {} bytes in {} ms", file, before, Files.size(file),
                    (System.nanoTime() - started) / 1_000_000);
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not compact the catalog file {}; opening it as it is: {}", file, e.toString());
        }
    }
}
