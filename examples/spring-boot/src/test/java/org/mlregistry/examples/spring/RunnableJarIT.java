package org.mlregistry.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example as a user runs it, {@code java -jar examples/spring-boot/target/examples-spring-boot.jar}: it starts, prints
 * a token and the MLflow variables, and that token creates a model through the printed address.
 */
class RunnableJarIT {

    private static final Path JAR = Path.of(System.getProperty("mlregistry.example.jar", "target/examples-spring-boot.jar"));

    @TempDir
    Path dir;

    @Test
    void startsWithJavaJarAndPrintsAWorkingToken() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                JAR.toAbsolutePath().toString(), "--server.port=0", "--mlregistry.storage-root=" + dir.resolve("files"))
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String token = null;
            String api = null;
            Pattern tokenLine = Pattern.compile("Token of alice .*: (glpat-\\S+)");
            Pattern uriLine = Pattern.compile("export MLFLOW_TRACKING_URI=(\\S+)");
            for (String line; (line = out.readLine()) != null && (token == null || api == null); ) {
                Matcher t = tokenLine.matcher(line);
                if (t.find()) {
                    token = t.group(1);
                }
                Matcher u = uriLine.matcher(line);
                if (u.find()) {
                    api = u.group(1);
                }
            }
            assertThat(token).isNotNull();
            assertThat(api).isNotNull();
            HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api
                    + "/api/2.0/mlflow/registered-models/create")).header("PRIVATE-TOKEN", token)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"from-the-jar\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
            assertThat(created.body()).contains("\"user_id\":\"alice\"");
        } finally {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }
}
