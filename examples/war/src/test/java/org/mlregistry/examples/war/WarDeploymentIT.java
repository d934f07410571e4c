package org.mlregistry.examples.war;

import org.mlregistry.core.RegistryVersion;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.model.Sha256;

/**
 * The WAR the reactor built, deployed into embedded Tomcat 11 as an operator would deploy it: {@code web.xml}
 * only (no container defaults), the configuration file named by a context parameter, {@code %2F} passed through.
 */
class WarDeploymentIT {

    private static final String TOKEN = "glpat-war";
    private static final Path WAR = Path.of(System.getProperty("mlregistry.war", "target/examples-war.war"));

    @TempDir
    Path dir;
    private Tomcat tomcat;

    private Context deploy(String configFile) throws Exception {
        tomcat = new Tomcat();
        tomcat.setBaseDir(dir.resolve("tomcat").toString());
        Files.createDirectories(dir.resolve("tomcat/webapps")); // where Tomcat expands the WAR
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setEncodedSolidusHandling("passthrough");
        tomcat.setConnector(connector);
        tomcat.setAddDefaultWebXmlToWebapp(false);
        Context context = tomcat.addWebapp("/registry", WAR.toAbsolutePath().toString());
        // a standalone Tomcat's class path is a few jars; this JVM's is the whole test class path, not the WAR's concern
        StandardJarScanner scanner = new StandardJarScanner();
        scanner.setScanClassPath(false);
        context.setJarScanner(scanner);
        if (configFile != null) {
            context.addParameter(RegistryContextListener.CONFIG_PARAMETER, configFile);
        }
        tomcat.start();
        return context;
    }

    @AfterEach
    void stop() throws Exception {
        if (tomcat != null) {
            tomcat.stop();
            tomcat.destroy();
        }
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + path));
        if (token != null) {
            b.header("PRIVATE-TOKEN", token);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesAFileByEncodedProjectPathFromTheConfiguredStorage() throws Exception {
        Files.createDirectories(dir.resolve("data/1/7/dir"));
        Files.writeString(dir.resolve("data/1/7/dir/config.json"), "{\"hidden_size\":8}");
        Path config = Files.writeString(dir.resolve("registry.json"), """
                {
                  "storage": { "type": "filesystem", "root": "data", "createRoot": true },
                  "catalog": { "type": "none" },
                  "projects": [ { "id": 1, "path": "grp/proj", "visibility": "private", "members": { "dev": "developer" } } ],
                  "tokens": [ { "kind": "personal", "user": "dev", "sha256": "%s", "scopes": ["read_api"] } ]
                }
                """.formatted(Sha256.ofSecret(TOKEN).hex()));

        Context context = deploy(config.toString());

        assertThat(context.getState()).isEqualTo(LifecycleState.STARTED);
        HttpResponse<String> file = get("/registry/api/v4/projects/grp%2Fproj/packages/ml_models/7/files/dir/config.json", TOKEN);
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body()).isEqualTo("{\"hidden_size\":8}");
        assertThat(file.headers().firstValue("ETag")).hasValue("\"" + Sha256.hash("{\"hidden_size\":8}".getBytes(StandardCharsets.UTF_8)).hex()
                + "\"");
        assertThat(get("/registry/api/v4/projects/grp%2Fproj/packages/ml_models/7/files/dir/config.json", null).statusCode())
                .as("private project, anonymous caller").isEqualTo(404);
        HttpResponse<String> traversal = get("/registry/api/v4/projects/1/packages/ml_models/7/files/..%2F..%2Fregistry.json", TOKEN);
        assertThat(traversal.statusCode()).isEqualTo(400);
        assertThat(traversal.body()).startsWith("{\"");
        HttpResponse<String> health = get("/registry/health", null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"ok\",\"storage\":\"ok\",\"catalog\":\"ok\",\"integrityErrors\":0,\"version\":\""
                + RegistryVersion.current() + "\"}");
    }

    @Test
    void logsThroughTheContainerAndServesMetricsWhenConfigured() throws Exception {
        Files.createDirectories(dir.resolve("data/1/7"));
        Files.writeString(dir.resolve("data/1/7/model.bin"), "weights");
        Path config = Files.writeString(dir.resolve("registry.json"), """
                {
                  "storage": { "type": "filesystem", "root": "data" }, "catalog": { "type": "none" }, "metrics": true,
                  "projects": [ { "id": 1, "path": "grp/proj", "visibility": "private", "members": { "dev": "developer" } } ],
                  "tokens": [ { "kind": "personal", "user": "dev", "sha256": "%s", "scopes": ["read_api"] } ]
                }
                """.formatted(Sha256.ofSecret(TOKEN).hex()));
        // the WAR's SLF4J provider writes to java.util.logging, where Tomcat (JULI) takes every web application's lines
        List<String> logged = new CopyOnWriteArrayList<>();
        java.util.logging.Logger access = java.util.logging.Logger.getLogger("org.mlregistry.access");
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                logged.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        access.addHandler(handler);
        try {
            deploy(config.toString());
            assertThat(get("/registry/api/v4/projects/1/packages/ml_models/7/files/model.bin", TOKEN).statusCode()).isEqualTo(200);
            for (int i = 0; i < 100 && logged.isEmpty(); i++) {
                Thread.sleep(50);
            }
            assertThat(logged).anySatisfy(line -> assertThat(line).contains("project=1 version=7 path=model.bin status=200", "user=dev"));
            HttpResponse<String> metrics = get("/registry/metrics", null);
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("mlregistry_requests_seconds_count{", "status=\"200\"", "jvm_memory_used_bytes");
        } finally {
            access.removeHandler(handler);
        }
    }

    @Test
    void aBadConfigurationFailsTheDeploymentInsteadOfServingWithoutRules() throws Exception {
        Path config = Files.writeString(dir.resolve("registry.json"), "{\"storage\": {\"type\": \"filesystem\"}, \"unknown\": 1}");

        Context context = deploy(config.toString());

        assertThat(context.getState()).isNotEqualTo(LifecycleState.STARTED);
        assertThat(get("/registry/api/v4/projects/1/packages/ml_models/7/files/x.bin", null).statusCode()).isEqualTo(404);
    }
}
