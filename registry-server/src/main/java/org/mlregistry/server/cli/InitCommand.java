package org.mlregistry.server.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.mlregistry.core.model.Scope;
import org.mlregistry.server.config.ConfigException;
import org.mlregistry.server.config.ConfigFiles;

/**
 * {@code init DIR [--user U] [--project PATH] [--root PATH]}: writes {@code DIR/registry.json}, a starter configuration
 * with storage in {@code DIR/data} (or {@code --root}, relative to {@code DIR}), one private project (id 1) whose maintainer is the user, and a personal token of
 * that user with the {@code api} scope, whose secret is printed once. It never replaces a configuration.
 */
public final class InitCommand {

    /** The configuration file's name in the directory. */
    public static final String FILE_NAME = "registry.json";
    static final String USAGE = "usage: java -jar mlregistry-server.jar init DIR [--user U] [--project GROUP/NAME] [--root PATH]";
    private static final String DEFAULT_USER = "admin";
    private static final String DEFAULT_PROJECT = "team/models";

    private InitCommand() {
    }

    /** Runs the command on {@code args} (after {@code init}); returns the exit code. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        Flags flags;
        try {
            flags = Flags.parse(args, Set.of("--user", "--project", "--root"), Set.of());
            if (flags.positional().size() != 1) {
                throw new IllegalArgumentException("init needs one directory");
            }
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return ExitCodes.USAGE;
        }
        Path dir = Path.of(flags.positional().get(0)).toAbsolutePath().normalize();
        String user = Objects.requireNonNullElse(flags.value("--user"), DEFAULT_USER);
        String projectPath = Objects.requireNonNullElse(flags.value("--project"), DEFAULT_PROJECT);
        NewToken token = NewToken.create(NewToken.Kind.PERSONAL, user, null, Set.of(Scope.API), null);
        Path file = dir.resolve(FILE_NAME);
        // the storage root: DIR/data, or elsewhere (a service keeps its configuration in /etc and its files in /var/lib)
        String rootText = Objects.requireNonNullElse(flags.value("--root"), "data");
        Path root = dir.resolve(rootText).normalize();
        try {
            Files.createDirectories(dir);
            ConfigFiles.create(file, starter(user, projectPath, token, rootText)); // validated whole: a bad --project or --user is named
            Files.createDirectories(root);
        } catch (ConfigException e) {
            err.println("config error: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (IOException e) {
            err.println("cannot write " + file + ": " + e.getClass().getSimpleName());
            return ExitCodes.FAILURE;
        }
        out.println("Wrote " + file + " (files in " + root + ")");
        out.println("Project 1 '" + projectPath + "' (private), maintainer '" + user + "'");
        out.println("Token of " + user + " (scope api; shown once, keep it secret): " + token.secret());
        out.println("Start the server:");
        out.println("  java -jar mlregistry-server.jar --config " + file);
        out.println("More tokens: java -jar mlregistry-server.jar token create --user NAME --scopes read_api --add-to " + file);
        return ExitCodes.OK;
    }

    private static ObjectNode starter(String user, String projectPath, NewToken token, String root) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode config = f.objectNode();
        config.putObject("storage").put("type", "filesystem").put("root", root);
        ObjectNode project = config.putArray("projects").addObject();
        project.put("id", 1).put("path", projectPath).put("visibility", "private");
        project.putObject("members").put(user, "maintainer");
        config.putArray("tokens").add(token.entry());
        return config;
    }
}
