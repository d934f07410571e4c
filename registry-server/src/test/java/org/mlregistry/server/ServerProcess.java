package org.mlregistry.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The bundled server as a separate process, as a user runs it: started with {@code --config} on a free
 * port, its log (standard error) kept in a file so a test can read exactly what an operator would see.
 */
final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final String baseUrl;

    private ServerProcess(Process process, Path log, String baseUrl) {
        this.process = process;
        this.log = log;
        this.baseUrl = baseUrl;
    }

    /** Starts the server with {@code config} and waits for its banner. */
    static ServerProcess start(Path config, Path log) throws IOException {
        return start(config, log, List.of(), java.util.Map.of());
    }

    /** As above, with JVM options ({@code -Xmx64m}) and extra environment variables. */
    static ServerProcess start(Path config, Path log, List<String> jvmOptions, java.util.Map<String, String> environment)
            throws IOException {
        return start(jvmOptions, List.of("--config", config.toString(), "--port", "0"), log, environment);
    }

    /** The server with these arguments alone, and {@code environment} (which replaces any {@code MLREGISTRY_*} of this JVM's). */
    static ServerProcess start(List<String> args, Path log, java.util.Map<String, String> environment) throws IOException {
        return start(List.of(), args, log, environment);
    }

    private static ServerProcess start(List<String> jvmOptions, List<String> args, Path log, java.util.Map<String, String> environment)
            throws IOException {
        Process p = builder(jvmOptions, args, environment).redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("Listening on ")) {
            p.destroyForcibly();
            throw new IOException("the server did not start: " + Files.readString(log));
        }
        return new ServerProcess(p, log, line.substring("Listening on ".length()).strip());
    }

    /** This JVM's java running the server's main class on the test class path; {@code MLREGISTRY_*} only as given. */
    private static ProcessBuilder builder(List<String> jvmOptions, List<String> args, java.util.Map<String, String> environment) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), RegistryServer.class.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> k.startsWith("MLREGISTRY_"));
        builder.environment().putAll(environment);
        return builder;
    }

    /** What a command that ends by itself printed, and its exit code. */
    record Outcome(int exit, String out, String err) {
    }

    /**
     * Runs the jar's main class with {@code args} and {@code environment} (added to this JVM's, minus any
     * {@code MLREGISTRY_*}) until it exits, within 60 seconds.
     */
    static Outcome run(List<String> args, java.util.Map<String, String> environment) throws IOException, InterruptedException {
        Path out = Files.createTempFile("mlregistry-out", ".txt");
        Path err = Files.createTempFile("mlregistry-err", ".txt");
        try {
            Process p = builder(List.of(), args, environment).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("still running after 60 s: " + args);
            }
            return new Outcome(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** {@code http://127.0.0.1:port/api/v4}. */
    String baseUrl() {
        return baseUrl;
    }

    int port() {
        return URI.create(baseUrl).getPort();
    }

    /**
     * The log once it holds every one of {@code parts}, waiting up to 10 s (the access log is written by a thread of its
     * own, after the answer); the log as it is then, for the caller's assertions, if they never all appear.
     */
    String awaitLog(String... parts) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String log = log();
        while (!java.util.Arrays.stream(parts).allMatch(log::contains) && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20);
            log = log();
        }
        return log;
    }

    /** Everything the server logged so far. */
    String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** Sends the process {@code signal} ({@code HUP}, ...) with the system's {@code kill}. */
    void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + signal + " failed");
        }
    }

    /** Waits for the process to end; its exit code, or -1 when it still runs after {@code seconds}. */
    int waitFor(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    /** Whether the process still runs. */
    boolean alive() {
        return process.isAlive();
    }

    /** {@code kill -9}: no shutdown hook, no flush, as a crash or the OOM killer ends it. */
    void kill() throws InterruptedException {
        process.destroyForcibly(); // SIGKILL on Linux
        process.waitFor(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
