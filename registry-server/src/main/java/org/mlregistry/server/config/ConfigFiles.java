package org.mlregistry.server.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.jspecify.annotations.Nullable;

/**
 * Configuration files as JSON trees: read strictly (duplicate keys and content after the object are errors, syntax
 * errors are {@code FILE:LINE:COL: reason}), and written back whole by the commands that edit them, only once the
 * result is a valid configuration, through a temporary file moved over the old one so a running server's reload
 * reads either file and never half of one.
 */
public final class ConfigFiles {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private ConfigFiles() {
    }

    /** The JSON tree of {@code file}. */
    public static JsonNode readTree(Path file) throws ConfigException {
        JsonNode root;
        try (var in = Files.newInputStream(file); JsonParser parser = JSON.createParser(in)) {
            root = JSON.readTree(parser);
            // anything after the object, even text that is not JSON, is one mistake
            try {
                if (parser.nextToken() != null) {
                    throw trailing(file, parser.currentTokenLocation());
                }
            } catch (JsonProcessingException e) {
                throw trailing(file, e.getLocation());
            }
        } catch (NoSuchFileException e) {
            throw new ConfigException("config", "file not found: " + file);
        } catch (JsonProcessingException e) {
            throw JsonSyntax.error(file, e);
        } catch (IOException e) {
            throw new ConfigException("config", "cannot read " + file + ": " + e.getClass().getSimpleName());
        }
        if (root == null || root.isMissingNode()) {
            throw new ConfigException(file.toString(), "is empty");
        }
        return root;
    }

    /** The directory relative paths in {@code file} resolve against. */
    public static Path base(Path file) {
        Path base = file.toAbsolutePath().getParent();
        return base == null ? Path.of("").toAbsolutePath() : base;
    }

    /**
     * Writes {@code config} as {@code file}, once it validates as a configuration there.
     *
     * @throws ConfigException when it does not; the file is left as it was
     */
    public static void replace(Path file, JsonNode config) throws ConfigException, IOException {
        ConfigParser.parse(config, base(file));
        Path dir = base(file);
        Path temp = Files.createTempFile(dir, ".mlregistry-config-", ".tmp");
        try {
            if (Files.exists(file)) {
                try {
                    Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(file));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: the temporary file keeps the default permissions
                }
            } else {
                trySetPermissions(temp);
            }
            Files.write(temp, JSON.writeValueAsBytes(config));
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Writes a new configuration file; refuses to replace one. */
    public static void create(Path file, JsonNode config) throws ConfigException, IOException {
        if (Files.exists(file)) {
            throw new ConfigException(file.toString(), "exists already; init writes only a new configuration");
        }
        replace(file, config);
    }

    private static void trySetPermissions(Path temp) throws IOException {
        try {
            // readable by others: it holds token hashes only, and the service user may not be the one who ran init
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
    }

    private static ConfigException trailing(Path file, @Nullable JsonLocation location) {
        return new ConfigException(file + at(location), "content after the configuration object");
    }

    private static String at(@Nullable JsonLocation location) {
        return location == null ? "" : ":" + location.getLineNr() + ":" + location.getColumnNr();
    }
}
