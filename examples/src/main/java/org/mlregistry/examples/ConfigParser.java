package org.mlregistry.examples;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.memory.StoredToken;
import org.mlregistry.core.model.Project;
import org.mlregistry.core.model.ProjectRef;
import org.mlregistry.core.model.Role;
import org.mlregistry.core.model.Scope;
import org.mlregistry.core.model.Visibility;

/**
 * Reads the example server's JSON configuration strictly: unknown fields, unknown token kinds, fields
 * that do not belong to a token's kind, duplicate keys, ids or hashes are all errors naming the field.
 * Relative paths are resolved against the configuration file's directory.
 */
public final class ConfigParser {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private static final Set<String> TOP = Set.of("storage", "guestsCanReadPrivate", "maxFileSizeBytes", "projects", "tokens");
    private static final Set<String> STORAGE = Set.of("type", "root");
    private static final Set<String> PROJECT = Set.of("id", "path", "visibility", "members", "jobTokenAllowlist");
    private static final Map<String, Set<String>> TOKEN_FIELDS = Map.of(
            "personal", Set.of("kind", "user", "sha256", "scopes", "expiresAt", "revoked"),
            "job", Set.of("kind", "user", "project", "sha256", "running"),
            "deploy", Set.of("kind", "project", "sha256", "scopes", "expiresAt", "revoked"));

    private ConfigParser() {
    }

    /** Reads and validates {@code file}. */
    public static RegistryConfig read(Path file) throws ConfigException {
        JsonNode root;
        try (var in = Files.newInputStream(file)) {
            root = JSON.readTree(in);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config", "file not found: " + file);
        } catch (JsonParseException e) {
            throw new ConfigException("config", "not valid JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr());
        } catch (IOException e) {
            throw new ConfigException("config", "cannot read " + file + ": " + e.getMessage());
        }
        Path base = file.toAbsolutePath().getParent();
        return parse(root, base);
    }

    /** Validates an already parsed configuration; relative paths resolve against {@code base}. */
    static RegistryConfig parse(JsonNode root, Path base) throws ConfigException {
        object(root, "config", TOP);
        Path storageRoot = storage(root.get("storage"), base);
        boolean guests = root.has("guestsCanReadPrivate")
                ? bool(root.get("guestsCanReadPrivate"), "guestsCanReadPrivate")
                : ModelRegistry.DEFAULT_GUESTS_CAN_READ_PRIVATE;
        long max = ModelRegistry.DEFAULT_MAX_FILE_SIZE_BYTES;
        if (root.has("maxFileSizeBytes")) {
            max = number(root.get("maxFileSizeBytes"), "maxFileSizeBytes");
        }
        List<Project> projects = projects(root.get("projects"));
        Set<Long> projectIds = new HashSet<>();
        projects.forEach(p -> projectIds.add(p.id()));
        for (int i = 0; i < projects.size(); i++) {
            for (Long allowed : projects.get(i).jobTokenAllowlist()) {
                if (!projectIds.contains(allowed)) {
                    throw new ConfigException("projects[" + i + "].jobTokenAllowlist", "no project has id " + allowed);
                }
            }
        }
        List<StoredToken> tokens = tokens(root.get("tokens"), projectIds);
        return new RegistryConfig(storageRoot, guests, max, projects, tokens);
    }

    private static Path storage(JsonNode node, Path base) throws ConfigException {
        if (node == null) {
            throw new ConfigException("storage", "is required");
        }
        object(node, "storage", STORAGE);
        String type = text(node.get("type"), "storage.type");
        if (!type.equals("filesystem")) {
            throw new ConfigException("storage.type", "unknown storage type '" + type + "' (supported: filesystem)");
        }
        String root = text(node.get("root"), "storage.root");
        if (root.isBlank()) {
            throw new ConfigException("storage.root", "must not be empty");
        }
        return base.resolve(root).normalize();
    }

    private static List<Project> projects(JsonNode node) throws ConfigException {
        List<Project> out = new ArrayList<>();
        if (node == null) {
            return out;
        }
        array(node, "projects");
        Set<Long> ids = new HashSet<>();
        Set<String> paths = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String f = "projects[" + i + "]";
            JsonNode p = node.get(i);
            object(p, f, PROJECT);
            long id = number(required(p, "id", f), f + ".id");
            String path = text(required(p, "path", f), f + ".path");
            try {
                ProjectRef.ofPath(path);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(f + ".path", "not a valid project path: '" + path + "'");
            }
            Visibility visibility = parseEnum(() -> Visibility.parse(text(required(p, "visibility", f), f + ".visibility")),
                    f + ".visibility");
            Map<String, Role> members = new HashMap<>();
            JsonNode m = p.get("members");
            if (m != null) {
                if (!m.isObject()) {
                    throw new ConfigException(f + ".members", "must be an object of user name to role");
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    String mf = f + ".members." + e.getKey();
                    if (e.getKey().isBlank()) {
                        throw new ConfigException(mf, "user name must not be empty");
                    }
                    members.put(e.getKey(), parseEnum(() -> Role.parse(text(e.getValue(), mf)), mf));
                }
            }
            Set<Long> allowlist = new LinkedHashSet<>();
            JsonNode a = p.get("jobTokenAllowlist");
            if (a != null) {
                array(a, f + ".jobTokenAllowlist");
                for (int j = 0; j < a.size(); j++) {
                    allowlist.add(number(a.get(j), f + ".jobTokenAllowlist[" + j + "]"));
                }
            }
            if (!ids.add(id)) {
                throw new ConfigException(f + ".id", "duplicate project id " + id);
            }
            if (!paths.add(path.toLowerCase(Locale.ROOT))) {
                throw new ConfigException(f + ".path", "duplicate project path " + path);
            }
            out.add(new Project(id, path, visibility, members, allowlist));
        }
        return out;
    }

    private static List<StoredToken> tokens(JsonNode node, Set<Long> projectIds) throws ConfigException {
        List<StoredToken> out = new ArrayList<>();
        if (node == null) {
            return out;
        }
        array(node, "tokens");
        Set<String> hashes = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String f = "tokens[" + i + "]";
            JsonNode t = node.get(i);
            if (!t.isObject()) {
                throw new ConfigException(f, "must be an object");
            }
            String kind = text(required(t, "kind", f), f + ".kind");
            Set<String> allowed = TOKEN_FIELDS.get(kind);
            if (allowed == null) {
                throw new ConfigException(f + ".kind", "unknown token kind '" + kind + "' (supported: personal, job, deploy)");
            }
            object(t, f, allowed);
            String sha = text(required(t, "sha256", f), f + ".sha256");
            if (!sha.matches("[0-9a-fA-F]{64}")) {
                throw new ConfigException(f + ".sha256", "must be the 64 hex digits of the token's SHA-256");
            }
            if (!hashes.add(sha.toLowerCase(Locale.ROOT))) {
                throw new ConfigException(f + ".sha256", "another token has the same hash");
            }
            switch (kind) {
                case "personal":
                    out.add(StoredToken.personal(user(t, f), sha, scopes(t, f), expires(t, f), flag(t, "revoked", f, false)));
                    break;
                case "job":
                    out.add(StoredToken.job(user(t, f), project(t, f, projectIds), sha, flag(t, "running", f, true)));
                    break;
                default:
                    out.add(StoredToken.deploy(project(t, f, projectIds), sha, scopes(t, f), expires(t, f),
                            flag(t, "revoked", f, false)));
                    break;
            }
        }
        return out;
    }

    private static String user(JsonNode t, String f) throws ConfigException {
        String user = text(required(t, "user", f), f + ".user");
        if (user.isBlank()) {
            throw new ConfigException(f + ".user", "must not be empty");
        }
        return user;
    }

    private static long project(JsonNode t, String f, Set<Long> projectIds) throws ConfigException {
        long id = number(required(t, "project", f), f + ".project");
        if (!projectIds.contains(id)) {
            throw new ConfigException(f + ".project", "no project has id " + id);
        }
        return id;
    }

    private static Set<Scope> scopes(JsonNode t, String f) throws ConfigException {
        JsonNode s = required(t, "scopes", f);
        array(s, f + ".scopes");
        Set<Scope> out = new LinkedHashSet<>();
        for (int j = 0; j < s.size(); j++) {
            String sf = f + ".scopes[" + j + "]";
            String value = text(s.get(j), sf);
            out.add(parseEnum(() -> Scope.parse(value), sf));
        }
        return out;
    }

    private static LocalDate expires(JsonNode t, String f) throws ConfigException {
        JsonNode e = t.get("expiresAt");
        if (e == null || e.isNull()) {
            return null;
        }
        String value = text(e, f + ".expiresAt");
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException ex) {
            throw new ConfigException(f + ".expiresAt", "must be a date like 2027-01-01, was '" + value + "'");
        }
    }

    private static boolean flag(JsonNode t, String name, String f, boolean dflt) throws ConfigException {
        return t.has(name) ? bool(t.get(name), f + "." + name) : dflt;
    }

    private interface Parse<T> {
        T get() throws ConfigException;
    }

    private static <T> T parseEnum(Parse<T> parse, String field) throws ConfigException {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(field, e.getMessage());
        }
    }

    private static JsonNode required(JsonNode node, String name, String field) throws ConfigException {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            throw new ConfigException(field + "." + name, "is required");
        }
        return v;
    }

    private static void object(JsonNode node, String field, Set<String> allowed) throws ConfigException {
        if (!node.isObject()) {
            throw new ConfigException(field, "must be an object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                String prefix = field.equals("config") ? "" : field + ".";
                throw new ConfigException(prefix + name, "unknown field (allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
        }
    }

    private static void array(JsonNode node, String field) throws ConfigException {
        if (!node.isArray()) {
            throw new ConfigException(field, "must be an array");
        }
    }

    private static String text(JsonNode node, String field) throws ConfigException {
        if (node == null || !node.isTextual()) {
            throw new ConfigException(field, "must be a string");
        }
        return node.asText();
    }

    private static boolean bool(JsonNode node, String field) throws ConfigException {
        if (!node.isBoolean()) {
            throw new ConfigException(field, "must be true or false");
        }
        return node.asBoolean();
    }

    private static long number(JsonNode node, String field) throws ConfigException {
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 0) {
            throw new ConfigException(field, "must be a whole number, 0 or more");
        }
        return node.asLong();
    }
}
