package org.mlregistry.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.http.AccessLog;
import org.mlregistry.core.memory.DuplicateEntryException;
import org.mlregistry.core.memory.InMemoryProjectLocator;
import org.mlregistry.core.memory.InMemoryTokenAuthenticator;
import org.mlregistry.core.memory.StoredToken;
import org.mlregistry.core.model.FileOverwrite;
import org.mlregistry.core.model.Project;
import org.mlregistry.core.model.Role;
import org.mlregistry.core.model.Scope;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.model.Visibility;

/**
 * Reads the bundled server's JSON configuration strictly: unknown fields, unknown token kinds, fields
 * that do not belong to a token's kind, duplicate keys, content after the object, duplicate ids or hashes
 * are all errors naming the field. Validation itself lives in the value types and the in-memory SPIs;
 * this class only turns their refusals into field messages. No message repeats a configured value or an
 * unknown key, since either may be a secret pasted into the wrong place. Relative paths are resolved
 * against the configuration file's directory.
 */
public final class ConfigParser {

    private static final Set<String> TOP = Set.of("storage", "catalog", "guestsCanReadPrivate", "maxFileSizeBytes",
            "fileOverwrite", "projects", "tokens", "metrics", "publicUrl", "maxConcurrentUploads", "maxConcurrentUploadsPerCaller",
            "drainSeconds", "tls", "forwardedHeaders", "accessLog", "history", "web");
    private static final Set<String> TLS = Set.of("keystore", "passwordEnv");
    private static final Set<String> ACCESS_LOG = Set.of("file", "format");
    /** A drain longer than this is a mistake: a service manager kills a process that takes an hour to stop. */
    private static final long MAX_DRAIN_SECONDS = 3600;
    /** A bound on uploads in progress above this is a mistake: each one can hold a thread. */
    private static final int MAX_UPLOAD_BOUND = 10_000;
    private static final Set<String> METRICS = Set.of("port", "tokenSha256");
    private static final Map<String, Set<String>> CATALOG_FIELDS = Map.of(
            "sqlite", Set.of("type"), "h2", Set.of("type"), "none", Set.of("type"), "jdbc", Set.of("type", "url", "user", "passwordEnv"));
    private static final Set<String> STORAGE = Set.of("type", "root", "hashAtStartup", "createRoot");
    private static final Set<String> S3_STORAGE = Set.of("type", "bucket", "endpoint", "region", "prefix", "pathStyle", "redirect",
            "accessKeyEnv", "secretKeyEnv", "stateDirectory");
    private static final Set<String> PROJECT = Set.of("id", "path", "visibility", "members", "jobTokenAllowlist", "fileOverwrite",
            "hubNamespace");
    private static final Map<String, Set<String>> TOKEN_FIELDS = Map.of(
            "personal", Set.of("kind", "user", "sha256", "scopes", "expiresAt", "revoked"),
            "job", Set.of("kind", "user", "project", "sha256", "running"),
            "deploy", Set.of("kind", "project", "sha256", "scopes", "expiresAt", "revoked"));

    private ConfigParser() {
    }

    /** Reads and validates {@code file}. */
    public static RegistryConfig read(Path file) throws ConfigException {
        RegistryConfig config = parse(ConfigFiles.readTree(file), ConfigFiles.base(file));
        Path log = config.accessLog().file();
        if (log != null && log.equals(file.toAbsolutePath().normalize())) {
            throw new ConfigException("accessLog.file", "is the configuration file itself");
        }
        return config;
    }

    /** Validates an already parsed configuration; relative paths resolve against {@code base}. */
    static RegistryConfig parse(JsonNode root, Path base) throws ConfigException {
        object(root, "config", TOP);
        StorageConfig storage = storage(root.get("storage"), base);
        CatalogConfig catalog = catalog(root.get("catalog"));
        boolean guests = root.has("guestsCanReadPrivate")
                ? bool(root.get("guestsCanReadPrivate"), "guestsCanReadPrivate")
                : ModelRegistry.DEFAULT_GUESTS_CAN_READ_PRIVATE;
        long max = ModelRegistry.DEFAULT_MAX_FILE_SIZE_BYTES;
        if (root.has("maxFileSizeBytes")) {
            max = size(root.get("maxFileSizeBytes"), "maxFileSizeBytes");
        }
        FileOverwrite overwrite = root.has("fileOverwrite")
                ? overwrite(root.get("fileOverwrite"), "fileOverwrite") : ModelRegistry.DEFAULT_FILE_OVERWRITE;
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
        uniqueEntries(projects, tokens);
        MetricsConfig metrics = metrics(root.get("metrics"));
        URI publicUrl = root.has("publicUrl") ? publicUrl(root.get("publicUrl")) : null;
        int uploads = root.has("maxConcurrentUploads") ? bound(root.get("maxConcurrentUploads"), "maxConcurrentUploads")
                : ModelRegistry.DEFAULT_MAX_CONCURRENT_UPLOADS;
        int perCaller = root.has("maxConcurrentUploadsPerCaller")
                ? bound(root.get("maxConcurrentUploadsPerCaller"), "maxConcurrentUploadsPerCaller")
                : Math.min(uploads, ModelRegistry.DEFAULT_MAX_CONCURRENT_UPLOADS_PER_CALLER);
        Duration drain = RegistryConfig.DEFAULT_DRAIN;
        if (root.has("drainSeconds")) {
            long seconds = number(root.get("drainSeconds"), "drainSeconds");
            if (seconds > MAX_DRAIN_SECONDS) {
                throw new ConfigException("drainSeconds", "must be 0 to " + MAX_DRAIN_SECONDS);
            }
            drain = Duration.ofSeconds(seconds);
        }
        ListenConfig.Tls tls = root.has("tls") ? tls(root.get("tls"), base) : null;
        boolean forwarded = root.has("forwardedHeaders") && bool(root.get("forwardedHeaders"), "forwardedHeaders");
        AccessLogConfig accessLog = root.has("accessLog") ? accessLog(root.get("accessLog"), base) : AccessLogConfig.DEFAULT;
        Path logFile = accessLog.file();
        if (logFile != null && storage.s3() == null && logFile.startsWith(storage.root())) {
            // files under the root are served by their path
            throw new ConfigException("accessLog.file", "must not be inside storage.root");
        }
        HistoryConfig history = HistoryConfig.parse(root.get("history"));
        WebConfig web = WebConfig.parse(root.get("web"));
        return new RegistryConfig(storage, catalog, new AccessConfig(guests, max, projects, tokens, overwrite, uploads, perCaller),
                metrics, publicUrl, drain, new ListenConfig(tls, forwarded), accessLog, history, web);
    }

    /** {@code true}, {@code false}, or {@code {"port": N, "tokenSha256": "<hex>"}} (either field optional). */
    private static MetricsConfig metrics(@Nullable JsonNode node) throws ConfigException {
        if (node == null || node.isNull()) {
            return MetricsConfig.OFF;
        }
        if (node.isBoolean()) {
            return node.booleanValue() ? MetricsConfig.ON : MetricsConfig.OFF;
        }
        if (!node.isObject()) {
            throw new ConfigException("metrics", "must be true, false or an object with port and tokenSha256");
        }
        object(node, "metrics", METRICS);
        Integer port = null;
        if (node.has("port")) {
            long p = number(node.get("port"), "metrics.port");
            if (p > 65535) {
                throw new ConfigException("metrics.port", "must be 0 to 65535");
            }
            port = (int) p;
        }
        Sha256 token = null;
        if (node.has("tokenSha256")) {
            String hex = text(node.get("tokenSha256"), "metrics.tokenSha256");
            token = valid(() -> Sha256.parseHex(hex), "metrics.tokenSha256");
        }
        return new MetricsConfig(true, port, token);
    }

    /** {@code {"file": "access.log", "format": "logfmt" | "json" | "combined"}}, either optional. */
    private static AccessLogConfig accessLog(JsonNode node, Path base) throws ConfigException {
        object(node, "accessLog", ACCESS_LOG);
        String file = optionalText(node, "file", "accessLog");
        if (file != null && file.isBlank()) {
            throw new ConfigException("accessLog.file", "must not be empty");
        }
        AccessLog.Format format = AccessLog.Format.LOGFMT;
        String name = optionalText(node, "format", "accessLog");
        if (name != null) {
            format = switch (name) {
                case "logfmt" -> AccessLog.Format.LOGFMT;
                case "json" -> AccessLog.Format.JSON;
                case "combined" -> AccessLog.Format.COMBINED;
                default -> throw new ConfigException("accessLog.format", "must be logfmt, json or combined");
            };
        }
        return new AccessLogConfig(file == null ? null : base.resolve(file).normalize(), format);
    }

    /** {@code {"keystore": "server.p12", "passwordEnv": "VAR"}}; the key store is read when the server starts. */
    private static ListenConfig.Tls tls(JsonNode node, Path base) throws ConfigException {
        object(node, "tls", TLS);
        String keystore = text(required(node, "keystore", "tls"), "tls.keystore");
        if (keystore.isBlank()) {
            throw new ConfigException("tls.keystore", "must not be empty");
        }
        return new ListenConfig.Tls(base.resolve(keystore).normalize(), optionalText(node, "passwordEnv", "tls"));
    }

    /** An absolute http or https URL without query or fragment; a trailing slash is dropped. */
    private static URI publicUrl(JsonNode node) throws ConfigException {
        String text = node.isTextual() ? node.textValue() : "";
        URI uri;
        try {
            uri = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        } catch (java.net.URISyntaxException e) {
            throw new ConfigException("publicUrl", "must be an absolute http or https URL, such as https://models.example.com");
        }
        if ((!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) || uri.getHost() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new ConfigException("publicUrl", "must be an absolute http or https URL, such as https://models.example.com");
        }
        return uri;
    }

    /** The in-memory SPIs own the uniqueness rules; here their refusal becomes a field message. */
    private static void uniqueEntries(List<Project> projects, List<StoredToken> tokens) throws ConfigException {
        try {
            new InMemoryProjectLocator(projects);
        } catch (DuplicateEntryException e) {
            throw new ConfigException("projects[" + e.index() + "]." + e.attribute(), "another project has the same " + e.attribute());
        }
        try {
            new InMemoryTokenAuthenticator(Clock.systemUTC(), tokens);
        } catch (DuplicateEntryException e) {
            throw new ConfigException("tokens[" + e.index() + "].sha256", "another token has the same hash");
        }
    }

    private static StorageConfig storage(@Nullable JsonNode node, Path base) throws ConfigException {
        if (node == null) {
            throw new ConfigException("storage", "is required");
        }
        if (!node.isObject()) {
            throw new ConfigException("storage", "must be an object");
        }
        String type = text(node.get("type"), "storage.type");
        if (type.equals("s3")) {
            return s3(node, base);
        }
        if (!type.equals("filesystem")) {
            throw new ConfigException("storage.type", "unknown storage type (supported: filesystem, s3)");
        }
        object(node, "storage", STORAGE);
        String root = text(node.get("root"), "storage.root");
        if (root.isBlank()) {
            throw new ConfigException("storage.root", "must not be empty");
        }
        boolean hashAll = node.has("hashAtStartup") && bool(node.get("hashAtStartup"), "storage.hashAtStartup");
        boolean create = node.has("createRoot") && bool(node.get("createRoot"), "storage.createRoot");
        return new StorageConfig(base.resolve(root).normalize(), null, hashAll, create);
    }

    private static CatalogConfig catalog(@Nullable JsonNode node) throws ConfigException {
        if (node == null) {
            return CatalogConfig.EMBEDDED;
        }
        if (!node.isObject()) {
            throw new ConfigException("catalog", "must be an object");
        }
        String type = text(node.get("type"), "catalog.type");
        Set<String> allowed = CATALOG_FIELDS.get(type);
        if (allowed == null) {
            throw new ConfigException("catalog.type", "unknown catalog type (supported: sqlite, h2, jdbc, none)");
        }
        object(node, "catalog", allowed);
        return switch (type) {
            case "sqlite" -> CatalogConfig.SQLITE;
            case "h2" -> CatalogConfig.H2;
            case "none" -> new CatalogConfig(CatalogConfig.Type.NONE, null, null, null);
            default -> {
                String url = text(required(node, "url", "catalog"), "catalog.url");
                if (!url.startsWith("jdbc:")) {
                    throw new ConfigException("catalog.url", "must be a JDBC URL (jdbc:postgresql://host/db)");
                }
                String user = node.has("user") ? text(node.get("user"), "catalog.user") : null;
                String env = optionalText(node, "passwordEnv", "catalog");
                yield new CatalogConfig(CatalogConfig.Type.JDBC, url, user, env);
            }
        };
    }

    private static StorageConfig s3(JsonNode node, Path base) throws ConfigException {
        object(node, "storage", S3_STORAGE);
        String bucket = text(required(node, "bucket", "storage"), "storage.bucket");
        if (bucket.isBlank()) {
            throw new ConfigException("storage.bucket", "must not be empty");
        }
        String endpoint = optionalText(node, "endpoint", "storage");
        if (endpoint != null && !endpoint.startsWith("http://") && !endpoint.startsWith("https://")) {
            throw new ConfigException("storage.endpoint", "must be an http:// or https:// URL");
        }
        String region = node.has("region") ? text(node.get("region"), "storage.region") : "us-east-1";
        String prefix = node.has("prefix") ? text(node.get("prefix"), "storage.prefix") : "";
        boolean pathStyle = node.has("pathStyle") && bool(node.get("pathStyle"), "storage.pathStyle");
        boolean redirect = node.has("redirect") && bool(node.get("redirect"), "storage.redirect");
        String state = node.has("stateDirectory") ? text(node.get("stateDirectory"), "storage.stateDirectory") : "mlregistry-state";
        return new StorageConfig(base.resolve(state).normalize(), new StorageConfig.S3(bucket, endpoint, region, prefix, pathStyle,
                redirect, optionalText(node, "accessKeyEnv", "storage"), optionalText(node, "secretKeyEnv", "storage")));
    }

    private static @Nullable String optionalText(JsonNode node, String name, String field) throws ConfigException {
        String value = node.has(name) ? text(node.get(name), field + "." + name) : null;
        if (value != null && name.endsWith("Env") && !ENV_NAME.matcher(value).matches()) {
            // the likeliest mistake is the secret itself pasted here: say so without repeating it
            throw new ConfigException(field + "." + name, "must be the name of an environment variable (letters, digits and _), "
                    + "not its value; the value is not shown, as it may be a secret");
        }
        return value;
    }

    private static final java.util.regex.Pattern ENV_NAME = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    private static List<Project> projects(@Nullable JsonNode node) throws ConfigException {
        List<Project> out = new ArrayList<>();
        if (node == null) {
            return out;
        }
        array(node, "projects");
        for (int i = 0; i < node.size(); i++) {
            String f = "projects[" + i + "]";
            JsonNode p = node.get(i);
            object(p, f, PROJECT);
            long id = number(required(p, "id", f), f + ".id");
            String path = text(required(p, "path", f), f + ".path");
            Visibility visibility = valid(() -> Visibility.parse(text(required(p, "visibility", f), f + ".visibility")),
                    f + ".visibility");
            Map<String, Role> members = new HashMap<>();
            JsonNode m = p.get("members");
            if (m != null) {
                if (!m.isObject()) {
                    throw new ConfigException(f + ".members", "must be an object of user name to role");
                }
                for (Map.Entry<String, JsonNode> e : m.properties()) {
                    String mf = f + ".members." + e.getKey();
                    if (e.getKey().isBlank()) {
                        throw new ConfigException(f + ".members", "a user name is empty");
                    }
                    members.put(e.getKey(), valid(() -> Role.parse(text(e.getValue(), mf)), mf));
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
            FileOverwrite overwrite = p.has("fileOverwrite") ? overwrite(p.get("fileOverwrite"), f + ".fileOverwrite") : null;
            String hub = p.has("hubNamespace") ? text(p.get("hubNamespace"), f + ".hubNamespace") : null;
            Project project = valid(() -> new Project(id, path, visibility, members, allowlist, overwrite), f + ".path");
            out.add(hub == null ? project : valid(() -> new Project(id, path, visibility, members, allowlist, overwrite, hub),
                    f + ".hubNamespace"));
        }
        // one namespace per project: the client's cache is keyed by repository id alone
        // (a repeated id is reported as such, later)
        Map<String, Long> namespaces = new HashMap<>();
        for (int i = 0; i < out.size(); i++) {
            Project p = out.get(i);
            Long owner = namespaces.putIfAbsent(p.hubNamespace(), p.id());
            if (owner != null && owner != p.id()) {
                throw new ConfigException("projects[" + i + "].hubNamespace", "is the Hugging Face namespace of another project");
            }
        }
        return out;
    }

    private static List<StoredToken> tokens(@Nullable JsonNode node, Set<Long> projectIds) throws ConfigException {
        List<StoredToken> out = new ArrayList<>();
        if (node == null) {
            return out;
        }
        array(node, "tokens");
        for (int i = 0; i < node.size(); i++) {
            String f = "tokens[" + i + "]";
            JsonNode t = node.get(i);
            if (!t.isObject()) {
                throw new ConfigException(f, "must be an object");
            }
            String kind = text(required(t, "kind", f), f + ".kind");
            Set<String> allowed = TOKEN_FIELDS.get(kind);
            if (allowed == null) {
                throw new ConfigException(f + ".kind", "unknown token kind (supported: personal, job, deploy)");
            }
            object(t, f, allowed);
            String hex = text(required(t, "sha256", f), f + ".sha256");
            Sha256 sha = valid(() -> Sha256.parseHex(hex), f + ".sha256");
            out.add(switch (kind) {
                case "personal" -> StoredToken.personal(user(t, f), sha, scopes(t, f), expires(t, f), flag(t, "revoked", f, false));
                case "job" -> StoredToken.job(user(t, f), project(t, f, projectIds), sha, flag(t, "running", f, true));
                default -> StoredToken.deploy(project(t, f, projectIds), sha, scopes(t, f), expires(t, f),
                        flag(t, "revoked", f, false));
            });
        }
        return out;
    }

    private static FileOverwrite overwrite(JsonNode node, String field) throws ConfigException {
        String value = text(node, field);
        return valid(() -> FileOverwrite.parse(value), field);
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
            out.add(valid(() -> Scope.parse(value), sf));
        }
        return out;
    }

    private static @Nullable LocalDate expires(JsonNode t, String f) throws ConfigException {
        JsonNode e = t.get("expiresAt");
        if (e == null || e.isNull()) {
            return null;
        }
        String value = text(e, f + ".expiresAt");
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException ex) {
            throw new ConfigException(f + ".expiresAt", "must be a date like 2027-01-01");
        }
    }

    private static boolean flag(JsonNode t, String name, String f, boolean dflt) throws ConfigException {
        return t.has(name) ? bool(t.get(name), f + "." + name) : dflt;
    }

    private interface Parse<T> {
        T get() throws ConfigException;
    }

    /** Runs a value type's own validation; its message says what is wrong without repeating the value. */
    private static <T> T valid(Parse<T> parse, String field) throws ConfigException {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(field, String.valueOf(e.getMessage()));
        }
    }

    private static JsonNode required(JsonNode node, String name, String field) throws ConfigException {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            throw new ConfigException(field + "." + name, "is required");
        }
        return v;
    }

    /** An object with only {@code allowed} keys; an unknown key is named only when it cannot be a secret. */
    static void object(JsonNode node, String field, Set<String> allowed) throws ConfigException {
        if (!node.isObject()) {
            throw new ConfigException(field, "must be an object");
        }
        int position = 0;
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            position++;
            String key = it.next();
            if (!allowed.contains(key)) {
                throw new ConfigException(field, UnknownKeys.message(key, position, allowed));
            }
        }
    }

    /** A number of bytes, or a string with a unit ({@code "10GiB"}). */
    private static long size(JsonNode node, String field) throws ConfigException {
        if (node.isTextual()) {
            Long bytes = ByteSize.parse(node.textValue());
            if (bytes == null || bytes < 0) {
                throw new ConfigException(field, "must be a number of bytes or a size such as \"10GiB\" or \"500MB\"");
            }
            return bytes;
        }
        return number(node, field);
    }

    private static void array(JsonNode node, String field) throws ConfigException {
        if (!node.isArray()) {
            throw new ConfigException(field, "must be an array");
        }
    }

    static String text(@Nullable JsonNode node, String field) throws ConfigException {
        if (node == null || !node.isTextual()) {
            throw new ConfigException(field, "must be a string");
        }
        return node.asText();
    }

    static boolean bool(JsonNode node, String field) throws ConfigException {
        if (!node.isBoolean()) {
            throw new ConfigException(field, "must be true or false");
        }
        return node.asBoolean();
    }

    private static int bound(JsonNode node, String field) throws ConfigException {
        long n = number(node, field);
        if (n < 1 || n > MAX_UPLOAD_BOUND) {
            throw new ConfigException(field, "must be a whole number from 1 to " + MAX_UPLOAD_BOUND);
        }
        return (int) n;
    }

    static long number(JsonNode node, String field) throws ConfigException {
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 0) {
            throw new ConfigException(field, "must be a whole number, 0 or more");
        }
        return node.asLong();
    }
}
