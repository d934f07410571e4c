package org.mlregistry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mlregistry.server.config.RegistryConfig;

/**
 * The systemd unit in {@code dist/}: systemd's own checker accepts every line of it, and it says what the server
 * needs: a dedicated user, the storage root writable and nothing else, SIGTERM with room for the drain, no restart
 * loop on a configuration error, and the jar the build makes.
 */
class ServiceUnitTest {

    private static final Path UNIT = Path.of("../dist/mlregistry.service");

    @Test
    void systemdAcceptsEveryLine() throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed");
        Process verify = new ProcessBuilder(analyze.toString(), "verify", UNIT.toAbsolutePath().toString()).redirectErrorStream(true).start();
        String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(verify.waitFor(60, TimeUnit.SECONDS)).isTrue();
        // it warns (and still exits 0) about every value it cannot parse
        assertThat(output).isEmpty();
        assertThat(verify.exitValue()).isZero();
    }

    @Test
    void runsTheBuildsJarAsADedicatedUserWithRoomToDrain() throws Exception {
        List<String> lines = Files.readAllLines(UNIT);
        assertThat(lines).contains("User=mlregistry", "KillSignal=SIGTERM", "RestartPreventExitStatus=2", "ReadWritePaths=/var/lib/mlregistry",
                "ProtectSystem=strict", "NoNewPrivileges=yes", "ExecReload=/bin/kill -HUP $MAINPID");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("ExecStart=").endsWith("-jar /opt/mlregistry/mlregistry-server.jar"));
        long timeout = lines.stream().filter(l -> l.startsWith("TimeoutStopSec=")).mapToLong(l -> Long.parseLong(l.substring(15))).findFirst()
                .orElseThrow();
        assertThat(timeout).isGreaterThan(RegistryConfig.DEFAULT_DRAIN.toSeconds());
        assertThat(Files.readString(Path.of("pom.xml"))).contains("<finalName>mlregistry-server</finalName>");
    }
}
