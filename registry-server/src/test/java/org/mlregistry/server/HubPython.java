package org.mlregistry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code huggingface_hub} client, in a virtual environment this test creates once under
 * {@code target/hf-venv} with {@code python3 -m venv} and {@code pip install huggingface_hub==2.0.0} (from
 * the machine's configured package index), driven through {@code hf/hub_client.py}. No fallback and no
 * skip: without Python or the package, the test fails and says why.
 */
final class HubPython {

    static final String CLIENT_VERSION = "2.0.0";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path VENV = Path.of("target", "hf-venv");

    private final Path python;
    private final Path script;

    private HubPython(Path python, Path script) {
        this.python = python;
        this.script = script;
    }

    static synchronized HubPython install() throws Exception {
        Path python = VENV.resolve("bin").resolve("python").toAbsolutePath();
        if (!Files.isExecutable(python) || !installed(python)) {
            run(List.of("python3", "-m", "venv", "--clear", VENV.toString()), Map.of(), 120);
            // no retries: on a machine whose index is a local mirror, the public index is unreachable
            run(List.of(python.toString(), "-m", "pip", "install", "-q", "--retries", "0", "--timeout", "20",
                    "huggingface_hub==" + CLIENT_VERSION), Map.of(), 600);
        }
        Path script = Files.createTempFile("hub_client", ".py");
        try (InputStream in = HubPython.class.getResourceAsStream("/hf/hub_client.py")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        return new HubPython(python, script);
    }

    private static boolean installed(Path python) throws Exception {
        Process p = new ProcessBuilder(python.toString(), "-c", "import huggingface_hub; print(huggingface_hub.__version__)")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0 && out.equals(CLIENT_VERSION);
    }

    /** Runs one client command with {@code env} (HF_ENDPOINT, HF_HOME, HF_TOKEN); its JSON answer. */
    JsonNode call(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(python.toString(), script.toString()));
        command.addAll(List.of(args));
        String out = run(command, env, 120);
        String last = out.strip().lines().reduce((a, b) -> b).orElse("");
        return JSON.readTree(last);
    }

    private static String run(List<String> command, Map<String, String> env, int seconds) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("HF_") || k.startsWith("HUGGING"));
        pb.environment().put("HF_HUB_DISABLE_TELEMETRY", "1");
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("failed (" + p.exitValue() + "): " + command + "\n" + text);
        }
        return text;
    }
}
