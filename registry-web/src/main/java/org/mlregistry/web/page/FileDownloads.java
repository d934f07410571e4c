package org.mlregistry.web.page;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.util.Optional;
import org.mlregistry.core.Access;
import org.mlregistry.core.Authorized;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ModelVersionRef;
import org.mlregistry.core.spi.ModelFile;
import org.mlregistry.core.util.ContentDisposition;

/**
 * A file's download link on a version or run page: the registry's own download, as the API's, with the visitor's
 * session as the credential; always an attachment of type {@code application/octet-stream}, so no file a user uploaded
 * is ever rendered by the browser in the interface's origin. Streamed in constant memory.
 */
final class FileDownloads {

    void versionFile(PageRequest page) throws IOException {
        Authorized reading = page.authorize(Access.READ);
        page.modelVersion(reading); // the model id in the path must be the version's
        send(page, reading, ModelVersionRef.ofVersion(page.route().version()));
    }

    void runFile(PageRequest page) throws IOException {
        Authorized reading = page.authorize(Access.READ);
        send(page, reading, ModelVersionRef.ofCandidate(page.route().id()));
    }

    private static void send(PageRequest page, Authorized reading, ModelVersionRef ref) throws IOException {
        Optional<FilePath> path = filePath(page.route().file());
        Optional<ModelFile> file = path.isEmpty() ? Optional.empty() : page.registry().download(reading, ref, path.get());
        if (file.isEmpty()) {
            WebPages.error(page, 404, "404 Not Found");
            return;
        }
        WebExchange exchange = page.exchange();
        long size = file.get().metadata().size();
        exchange.status(200);
        exchange.header("Content-Type", "application/octet-stream");
        exchange.header("Content-Disposition", ContentDisposition.attachment(path.get().fileName()));
        exchange.header("Content-Length", Long.toString(size));
        exchange.header("Cache-Control", "private, no-store");
        file.get().knownSha256().ifPresent(sha -> exchange.header("ETag", '"' + sha.hex() + '"'));
        if (exchange.method().equals("HEAD")) {
            return;
        }
        try (InputStream in = Channels.newInputStream(file.get().open()); OutputStream out = exchange.output()) {
            in.transferTo(out); // a buffer at a time: constant memory whatever the size
        }
    }

    /** The file path a link names, or empty when it is no valid path (a 404, as for a missing file). */
    static Optional<FilePath> filePath(String text) {
        try {
            return Optional.of(FilePath.parse(text));
        } catch (IllegalArgumentException e) { // InvalidFilePathException among them
            return Optional.empty();
        }
    }
}
