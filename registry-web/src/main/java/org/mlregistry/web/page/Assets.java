package org.mlregistry.web.page;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import org.mlregistry.core.model.Sha256;

/**
 * The interface's stylesheet and script, read once from the jar and served with an {@code ETag}: the only resources
 * its pages load, from this origin.
 */
final class Assets {

    @SuppressWarnings("ArrayRecordComponent") // read once from the jar, never changed, equality never used
    private record Asset(byte[] bytes, String type, String etag) {
    }

    private final Map<String, Asset> byName;

    private Assets(Map<String, Asset> byName) {
        this.byName = byName;
    }

    static Assets load() throws IOException {
        return new Assets(Map.of("app.css", read("app.css", "text/css;charset=utf-8"),
                "app.js", read("app.js", "text/javascript;charset=utf-8")));
    }

    private static Asset read(String name, String type) throws IOException {
        try (InputStream in = Assets.class.getResourceAsStream("/org/mlregistry/web/static/" + name)) {
            if (in == null) {
                throw new IOException("the web interface's " + name + " is missing from its jar");
            }
            byte[] bytes = in.readAllBytes();
            String etag = '"' + Sha256.hash(bytes).hex().substring(0, 16) + '"';
            return new Asset(bytes, type, etag);
        }
    }

    void serve(WebExchange exchange, String name) throws IOException {
        Asset asset = byName.get(name);
        String method = exchange.method();
        if (asset == null || !(method.equals("GET") || method.equals("HEAD"))) {
            exchange.status(asset == null ? 404 : 405);
            exchange.header("Content-Length", "0");
            return;
        }
        exchange.header("ETag", asset.etag());
        exchange.header("Cache-Control", "no-cache");
        String match = exchange.header("If-None-Match");
        if (match != null && match.contains(asset.etag())) {
            exchange.status(304);
            return;
        }
        exchange.status(200);
        exchange.header("Content-Type", asset.type());
        exchange.header("Content-Length", Integer.toString(asset.bytes().length));
        if (method.equals("GET")) {
            try (OutputStream out = exchange.output()) {
                out.write(asset.bytes());
            }
        }
    }
}
