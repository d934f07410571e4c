package org.mlregistry.core.http.packages;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.Packages;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.Project;

/**
 * GitLab's package entities as JSON ({@code lib/api/entities/package.rb}, {@code package_version.rb},
 * {@code package_file.rb}): the fields GitLab exposes for an {@code ml_model} package, in its order; what this registry
 * does not have (pipelines, package tags, the last download) is left out, or {@code null} and empty where GitLab
 * always sends the field. Times as GitLab writes them, UTC with milliseconds.
 */
final class PackagesJson {

    private static final DateTimeFormatter GITLAB_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private PackagesJson() {
    }

    /**
     * A package: its {@code _links} are GitLab's package page ({@code project_package_path}) and, for a caller who may
     * delete it, the API path that deletes it (absolute under {@code base}, else a reference from the server's root).
     */
    static void pkg(JsonGenerator g, Packages.ModelPackage p, Project project, boolean deletable, @Nullable URI base,
                    boolean detailed) throws IOException {
        ModelVersion v = p.version();
        g.writeStartObject();
        g.writeNumberField("id", v.id());
        g.writeStringField("name", v.modelName().value());
        g.writeStringField("version", v.version().toString());
        g.writeStringField("package_type", Packages.TYPE);
        g.writeStringField("status", "default");
        g.writeObjectFieldStart("_links");
        g.writeStringField("web_path", "/" + project.fullPath() + "/-/packages/" + v.id());
        if (deletable) {
            g.writeStringField("delete_api_path", (base == null ? "/api/v4" : base.toString())
                    + "/projects/" + project.id() + "/packages/" + v.id());
        }
        g.writeEndObject();
        g.writeStringField("created_at", time(v.created()));
        g.writeNullField("last_downloaded_at");
        g.writeArrayFieldStart("tags");
        g.writeEndArray();
        if (detailed) {
            g.writeArrayFieldStart("versions");
            for (ModelVersion o : p.otherVersions()) {
                g.writeStartObject();
                g.writeNumberField("id", o.id());
                g.writeStringField("version", o.version().toString());
                g.writeStringField("created_at", time(o.created()));
                g.writeArrayFieldStart("tags");
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    /** Package files; {@code file_name} is the path encoded as GitLab stores an {@code ml_model} file's ({@code dir%2Ff.bin}). */
    static void files(JsonGenerator g, List<Packages.PackageFile> files) throws IOException {
        g.writeStartArray();
        for (Packages.PackageFile f : files) {
            g.writeStartObject();
            g.writeNumberField("id", f.file().id());
            g.writeNumberField("package_id", f.packageId());
            g.writeStringField("created_at", time(f.file().created()));
            g.writeStringField("file_name", fileName(f.file().name()));
            g.writeNumberField("size", f.file().size());
            g.writeNullField("file_md5");
            g.writeNullField("file_sha1");
            g.writeStringField("file_sha256", f.file().sha256().hex());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /**
     * A path as GitLab names an {@code ml_model} package file: every byte but ASCII letters, digits and {@code *-._}
     * percent-encoded, a space as {@code %20} (Ruby's {@code URI.encode_uri_component}).
     */
    static String fileName(String path) {
        StringBuilder out = new StringBuilder(path.length() + 16);
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '*' || c == '-' || c == '.'
                    || c == '_') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static String time(Instant instant) {
        return GITLAB_TIME.format(instant);
    }
}
