package org.mlregistry.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.model.Scope;
import org.mlregistry.server.config.ConfigException;
import org.mlregistry.server.config.ConfigFiles;

/**
 * {@code token create --user U --scopes api[,read_api] [--expires DATE] [--kind personal|job|deploy] [--project ID]
 * [--add-to FILE]}: makes a token, prints its secret once and the configuration entry, or adds the entry to a
 * configuration file (checked as a whole first, then replaced in one move, so a running server's reload sees either
 * the old file or the new one).
 */
public final class TokenCommand {

    static final String USAGE = "usage: java -jar mlregistry-server.jar token create --user U --scopes api[,read_api] "
            + "[--expires YYYY-MM-DD] [--kind personal|job|deploy] [--project ID] [--add-to FILE]";
    private static final Set<String> VALUED = Set.of("--user", "--scopes", "--expires", "--kind", "--project", "--add-to");

    private TokenCommand() {
    }

    /** Runs the command on {@code args} (after {@code token}); returns the exit code. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        NewToken token;
        Flags flags;
        try {
            flags = Flags.parse(args, VALUED, Set.of());
            if (!flags.positional().equals(List.of("create"))) {
                throw new IllegalArgumentException("the token command is: token create ...");
            }
            token = create(flags);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return ExitCodes.USAGE;
        }
        String addTo = flags.value("--add-to");
        if (addTo != null) {
            try {
                add(Path.of(addTo), token.entry());
            } catch (ConfigException e) {
                err.println("config error: " + e.getMessage());
                return ExitCodes.USAGE;
            } catch (IOException e) {
                err.println("cannot write " + addTo + ": " + e.getClass().getSimpleName());
                return ExitCodes.FAILURE;
            }
        }
        out.println("Token (shown once; keep it secret): " + token.secret());
        if (addTo != null) {
            out.println("Added to the tokens of " + addTo + "; a running server reads it within seconds (or at SIGHUP).");
        } else {
            out.println("Add this entry to the configuration's \"tokens\":");
            out.println("  " + token.entry());
        }
        return ExitCodes.OK;
    }

    private static NewToken create(Flags flags) {
        NewToken.Kind kind = kind(flags.value("--kind"));
        String user = flags.value("--user");
        String project = flags.value("--project");
        String scopes = flags.value("--scopes");
        String expires = flags.value("--expires");
        if (kind != NewToken.Kind.DEPLOY && (user == null || user.isBlank())) {
            throw new IllegalArgumentException("--user is required for a " + kind.name().toLowerCase(Locale.ROOT) + " token");
        }
        if (kind == NewToken.Kind.DEPLOY && user != null) {
            throw new IllegalArgumentException("a deploy token belongs to a project, not a user: leave out --user");
        }
        if (kind != NewToken.Kind.PERSONAL && project == null) {
            throw new IllegalArgumentException("--project is required for a " + kind.name().toLowerCase(Locale.ROOT) + " token");
        }
        if (kind == NewToken.Kind.PERSONAL && project != null) {
            throw new IllegalArgumentException("a personal token is not tied to a project: leave out --project, or give --kind");
        }
        if (kind == NewToken.Kind.JOB && (scopes != null || expires != null)) {
            throw new IllegalArgumentException("a job token has no scopes or expiry: it lasts while its job runs");
        }
        if (kind != NewToken.Kind.JOB && scopes == null) {
            throw new IllegalArgumentException("--scopes is required, such as --scopes api or --scopes read_api");
        }
        return NewToken.create(kind, user, project == null ? null : projectId(project), scopes == null ? Set.of() : scopes(scopes),
                expires == null ? null : date(expires));
    }

    private static NewToken.Kind kind(@Nullable String value) {
        if (value == null) {
            return NewToken.Kind.PERSONAL;
        }
        return switch (value) {
            case "personal" -> NewToken.Kind.PERSONAL;
            case "job" -> NewToken.Kind.JOB;
            case "deploy" -> NewToken.Kind.DEPLOY;
            default -> throw new IllegalArgumentException("--kind must be personal, job or deploy");
        };
    }

    private static long projectId(String value) {
        try {
            long id = Long.parseLong(value);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // told below
        }
        throw new IllegalArgumentException("--project must be a project's numeric id");
    }

    private static Set<Scope> scopes(String value) {
        Set<Scope> out = new LinkedHashSet<>();
        for (String s : value.split(",", -1)) {
            out.add(Scope.parse(s.strip()));
        }
        return out;
    }

    private static LocalDate date(String value) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--expires must be a date like 2027-01-01");
        }
    }

    /**
     * Adds {@code entry} to the file's tokens, once the whole result is a valid configuration; two commands adding at
     * once take turns (a lock on a file beside it), so neither token is lost.
     */
    private static void add(Path file, ObjectNode entry) throws ConfigException, IOException {
        Path lock = ConfigFiles.base(file).resolve("." + file.getFileName() + ".lock");
        try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock held = channel.lock();
            try {
                addLocked(file, entry);
            } finally {
                held.release();
            }
        }
    }

    private static void addLocked(Path file, ObjectNode entry) throws ConfigException, IOException {
        JsonNode root = ConfigFiles.readTree(file);
        if (!(root instanceof ObjectNode config)) {
            throw new ConfigException(file.toString(), "is not a JSON object");
        }
        JsonNode tokens = config.get("tokens");
        if (tokens != null && !tokens.isArray()) {
            throw new ConfigException("tokens", "must be an array");
        }
        ArrayNode list = tokens == null ? config.putArray("tokens") : (ArrayNode) tokens;
        list.add(entry);
        ConfigFiles.replace(file, config);
    }
}
