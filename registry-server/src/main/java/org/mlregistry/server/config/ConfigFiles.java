package org.mlregistry.server.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.StandardOpenOption;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
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
        write(file, config, true);
    }

    private static void write(Path given, JsonNode config, boolean replace) throws ConfigException, IOException {
        // validated as the server reads it, through the path it is given; written to the file a link points at, so a
        // configuration kept behind a symbolic link stays behind it
        ConfigParser.parse(config, base(given));
        Path file = replace && Files.exists(given) ? given.toRealPath() : given;
        Path dir = base(file);
        Path temp = Files.createTempFile(dir, ".mlregistry-config-", ".tmp");
        try {
            if (Files.exists(file)) {
                keepOwnerAndMode(file, temp);
            } else {
                trySetPermissions(temp);
            }
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = ByteBuffer.wrap(JSON.writeValueAsBytes(config));
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                out.force(true); // on disk before it takes the old file's name: a crash leaves the old file or the new, whole
            }
            if (!replace) {
                Files.move(temp, file); // fails when the file appeared meanwhile: never replaced
            } else {
                try {
                    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
                }
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
        try {
            write(file, config, false);
        } catch (FileAlreadyExistsException e) {
            throw new ConfigException(file.toString(), "exists already; init writes only a new configuration");
        }
    }

    /**
     * The new file gets the old one's mode, owner and group: run as root on a service's file, it must stay readable by
     * the service user; a user who may not give a file away keeps their own ownership.
     */
    private static void keepOwnerAndMode(Path file, Path temp) throws IOException {
        PosixFileAttributeView from = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        PosixFileAttributeView to = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
        if (from == null || to == null) {
            return; // not a POSIX file system: the default permissions
        }
        PosixFileAttributes old = from.readAttributes();
        to.setPermissions(old.permissions());
        try {
            to.setGroup(old.group());
            to.setOwner(old.owner());
        } catch (IOException notPermitted) {
            // only root may give a file away; anyone else's replacement stays theirs, with the old mode
        }
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
        return new ConfigException(file + JsonSyntax.at(location), "content after the configuration object");
    }
}
