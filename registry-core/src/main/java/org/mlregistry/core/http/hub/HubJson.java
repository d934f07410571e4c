package org.mlregistry.core.http.hub;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.mlregistry.core.HubRepos;
import org.mlregistry.core.http.RegistryHttpResponse;
import org.mlregistry.core.http.base.JsonBody;
import org.mlregistry.core.model.HubFile;
import org.mlregistry.core.model.HubSnapshot;

/**
 * The JSON bodies of the Hugging Face endpoints: the model info ({@code id}, {@code sha}, {@code siblings},
 * ...) that {@code model_info} and {@code snapshot_download} read, and tree listings. Written with
 * Jackson's streaming writer; dates in the Hub's form ({@code 2024-05-01T10:00:00.000Z}), which the
 * client's date parser requires.
 */
final class HubJson {

    private static final DateTimeFormatter HUB_DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /**
     * One entry of a tree listing.
     *
     * @param directory whether it is a directory
     * @param oid a file's SHA-256, or a directory's id derived from what it holds
     * @param size a file's size; 0 for a directory
     * @param path its path in the version, {@code /}-separated
     */
    record TreeEntry(boolean directory, String oid, long size, String path) {
    }

    private HubJson() {
    }

    static void send(RegistryHttpResponse response, byte[] body) throws IOException {
        JsonBody.send(response, 200, body);
    }

    static byte[] info(HubSnapshot s) {
        return JsonBody.json(g -> {
            g.writeStartObject();
            g.writeStringField("_id", s.commit());
            g.writeStringField("id", s.repo().toString());
            g.writeStringField("modelId", s.repo().toString());
            g.writeStringField("author", s.repo().namespace());
            g.writeStringField("sha", s.commit());
            g.writeStringField("lastModified", date(s.lastModified()));
            g.writeStringField("createdAt", date(s.version().created()));
            g.writeBooleanField("private", s.isPrivate());
            g.writeBooleanField("disabled", false);
            g.writeBooleanField("gated", false);
            g.writeArrayFieldStart("tags");
            g.writeEndArray();
            g.writeNumberField("downloads", 0);
            g.writeNumberField("likes", 0);
            g.writeArrayFieldStart("siblings");
            for (HubFile f : s.files()) {
                g.writeStartObject();
                g.writeStringField("rfilename", f.name());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /**
     * The entries below {@code directory}: its files and sub-directories, or with {@code recursive} every
     * file and directory under it, sorted by path. A directory that does not exist has none.
     */
    static List<TreeEntry> tree(HubSnapshot s, List<String> directory, boolean recursive) {
        TreeMap<String, TreeEntry> entries = new TreeMap<>();
        TreeMap<String, List<HubFile>> directories = new TreeMap<>();
        for (HubFile f : s.files()) {
            List<String> p = f.path().segments();
            if (p.size() <= directory.size() || !p.subList(0, directory.size()).equals(directory)) {
                continue;
            }
            List<String> below = p.subList(directory.size(), p.size());
            if (below.size() == 1 || recursive) {
                entries.put(f.name(), new TreeEntry(false, f.sha256().hex(), f.size(), f.name()));
            }
            int deepest = recursive ? below.size() - 1 : Math.min(1, below.size() - 1);
            for (int depth = 1; depth <= deepest; depth++) {
                String dir = String.join("/", p.subList(0, directory.size() + depth));
                directories.computeIfAbsent(dir, d -> new ArrayList<>()).add(f);
            }
        }
        directories.forEach((dir, files) -> entries.put(dir, new TreeEntry(true, directoryOid(dir, files), 0, dir)));
        return List.copyOf(entries.values());
    }

    static byte[] treePage(List<TreeEntry> page) {
        return JsonBody.json(g -> {
            g.writeStartArray();
            for (TreeEntry e : page) {
                g.writeStartObject();
                g.writeStringField("type", e.directory() ? "directory" : "file");
                g.writeStringField("oid", e.oid());
                g.writeNumberField("size", e.size());
                g.writeStringField("path", e.path());
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    /** A directory's id: derived from its path and what it holds, as a git tree id is. */
    private static String directoryOid(String dir, List<HubFile> files) {
        return HubRepos.treeId("tree " + dir, files);
    }

    private static String date(Instant instant) {
        return HUB_DATE.format(instant);
    }
}
