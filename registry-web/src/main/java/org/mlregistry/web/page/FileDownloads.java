package org.mlregistry.web.page;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
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

    private static final int BUFFER = 64 * 1024;

    void versionFile(PageRequest page) throws IOException {
        Authorized reading = page.authorize(Access.READ);
        // the model id in the path must be the version's: a version page of another model is no page
        if (page.registry().packages().get(reading, page.route().version()).model().id() != page.route().id()) {
            WebPages.error(page, 404, "404 Not Found");
            return;
        }
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
        try (SeekableByteChannel in = file.get().open(); OutputStream out = exchange.output()) {
            WritableByteChannel sink = Channels.newChannel(out);
            ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
            long left = size;
            while (left > 0 && in.read(buffer.clear().limit((int) Math.min(BUFFER, left))) >= 0) {
                buffer.flip();
                left -= buffer.remaining();
                while (buffer.hasRemaining()) {
                    sink.write(buffer);
                }
            }
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
