package org.mlregistry.server;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mlregistry.core.Blobs;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.model.HistoryKeep;
import org.mlregistry.core.spi.RegistryObserver;
import org.mlregistry.server.cli.ExitCodes;
import org.mlregistry.server.cli.Flags;
import org.mlregistry.server.config.ConfigException;
import org.mlregistry.server.config.ConfigParser;
import org.mlregistry.server.config.RegistryConfig;
import org.mlregistry.server.config.StartFailure;

/**
 * The upkeep commands of a registry with a catalog, run beside or instead of the server on its configuration:
 * {@code gc --config FILE [--keep all|none|30d] [--grace-minutes N]} forgets history past its keep and deletes blobs
 * nothing refers to (the configuration's {@code history} unless overridden), and {@code verify --config FILE} re-hashes
 * every referenced blob, quarantines the corrupt ones and exits 1 when any is missing or corrupt, and
 * {@code migrate --config FILE} adopts the files of the directory layout into manifests (the server also does when it
 * starts). With the embedded
 * catalog, they run while the server is stopped (the catalog file is the server's while it runs); with PostgreSQL, at
 * any time, from any node.
 */
final class UpkeepCommand {

    static final String USAGE = """
            usage: java -jar mlregistry-server.jar gc --config FILE [--keep all|none|<days>d] [--grace-minutes N]
                   java -jar mlregistry-server.jar verify --config FILE
                   java -jar mlregistry-server.jar migrate --config FILE""";
    /** The commands this class runs. */
    static final Set<String> NAMES = Set.of("gc", "verify", "migrate");

    private UpkeepCommand() {
    }

    /** A number of minutes, 0 to a year. */
    private static long minutes(String text) {
        long m;
        try {
            m = Long.parseLong(text);
        } catch (NumberFormatException e) {
            m = -1;
        }
        if (m < 0 || m > 366L * 24 * 60) {
            throw new IllegalArgumentException("--grace-minutes must be a number of minutes from 0 to 527040 (a year)");
        }
        return m;
    }

    /** Runs {@code gc} or {@code verify} (the first argument) on the rest; returns the exit code. */
    static int run(List<String> args, Map<String, String> environment, PrintStream out, PrintStream err) {
        String command = args.isEmpty() ? "" : args.get(0);
        Flags flags;
        HistoryKeep keep;
        Duration grace;
        RegistryConfig config;
        try {
            boolean gc = command.equals("gc");
            flags = Flags.parse(args.subList(Math.min(1, args.size()), args.size()),
                    gc ? Set.of("--config", "--keep", "--grace-minutes") : Set.of("--config"), Set.of());
            if (!NAMES.contains(command) || !flags.positional().isEmpty()) {
                throw new IllegalArgumentException("unknown command or argument");
            }
            config = ConfigParser.read(Path.of(flags.required("--config")));
            String keepText = flags.value("--keep");
            keep = keepText == null ? config.history().keep() : HistoryKeep.parse(keepText);
            String graceText = flags.value("--grace-minutes");
            grace = graceText == null ? config.history().grace() : Duration.ofMinutes(minutes(graceText));
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return ExitCodes.USAGE;
        } catch (ConfigException e) {
            err.println("config error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        try (Backends backends = Backends.open(config, environment, RegistryObserver.NONE)) {
            ModelRegistry registry = backends.registry(config.access());
            Optional<Blobs> blobs = registry.blobs();
            if (blobs.isEmpty()) {
                err.println("this registry has no catalog (\"catalog\": \"none\"): its files are paths, there is nothing to " + command);
                return ExitCodes.USAGE;
            }
            if (command.equals("gc")) {
                Blobs.Collection c = blobs.get().collect(keep, grace);
                out.printf("gc: kept history %s; forgot %d revisions; deleted %d blobs (%d bytes); removed %d abandoned uploads%n",
                        keep, c.revisionsForgotten(), c.blobsDeleted(), c.bytesFreed(), c.stagingRemoved());
                return ExitCodes.OK;
            }
            if (command.equals("migrate")) {
                Blobs.Migration m = blobs.get().migrate();
                out.printf("migrate: %d versions looked at; %d files (%d bytes) adopted; %d version directories removed; %s%n",
                        m.versions(), m.filesAdopted(), m.bytesAdopted(), m.versionsCleared(),
                        m.complete() ? "the directory layout holds no versions' files" : "files changed while read: run it again");
                return m.complete() ? ExitCodes.OK : ExitCodes.FAILURE;
            }
            Blobs.Verification v = blobs.get().verify();
            out.printf("verify: %d blobs (%d bytes) checked; %d missing; %d corrupt (quarantined)%n", v.blobsChecked(), v.bytesChecked(),
                    v.missing().size(), v.corrupt().size());
            v.missing().forEach(sha -> out.println("missing " + sha.hex()));
            v.corrupt().forEach(sha -> out.println("corrupt " + sha.hex()));
            return v.intact() ? ExitCodes.OK : ExitCodes.FAILURE;
        } catch (ConfigException e) {
            err.println("config error: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (StartFailure e) {
            err.println("could not open the registry: " + e.getMessage());
            return ExitCodes.FAILURE;
        } catch (IOException | RuntimeException e) {
            err.println(command + " failed: " + e);
            return ExitCodes.FAILURE;
        }
    }
}
