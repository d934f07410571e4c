package org.mlregistry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.server.config.ConfigException;

/**
 * The web interface in the bundled server: on by default at {@code /}, off with {@code "web": {"enabled": false}}
 * (then {@code /} is the API's JSON 404, as before), and sessions sealed with a secret from the environment that any
 * node with the same secret opens.
 */
class WebInterfaceServerTest {

    private static final String TOKEN = "glpat-web-server";
    private static final String SECRET = "a session secret shared by every node, 48 bytes!";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([A-Za-z0-9_-]+)\"");

    @TempDir
    Path dir;
    private final List<RegistryServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(RegistryServer::stop);
    }

    private RegistryServer start(String name, String web, Map<String, String> environment) throws Exception {
        Path config = Files.writeString(dir.resolve(name + ".json"), """
                {
                  "storage": { "type": "filesystem", "root": "%s", "createRoot": true },
                  "projects": [ { "id": 1, "path": "team/models", "visibility": "private", "members": { "dev": "developer" } } ],
                  "tokens": [ { "kind": "personal", "user": "dev", "sha256": "%s", "scopes": ["api"] } ]%s
                }
                """.formatted(name, Sha256.ofSecret(TOKEN).hex(), web.isEmpty() ? "" : ",\n  \"web\": " + web));
        RegistryServer server = RegistryServer.start(ServerOptions.parse(List.of("--config", config.toString(), "--port", "0")),
                new PrintStream(OutputStream.nullOutputStream()), ConfigReloader.DEFAULT_INTERVAL, environment);
        servers.add(server);
        return server;
    }

    private static String origin(RegistryServer server) {
        return server.baseUrl().substring(0, server.baseUrl().indexOf("/api/v4"));
    }

    private static HttpResponse<String> get(String url, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (!cookie.isEmpty()) {
            b.header("Cookie", cookie);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesTheInterfaceAtTheRootBesideTheApi() throws Exception {
        RegistryServer server = start("on", "", Map.of());
        HttpResponse<String> home = get(origin(server) + "/", "");
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.headers().firstValue("Content-Type")).hasValue("text/html;charset=utf-8");
        assertThat(get(origin(server) + "/-/assets/app.css", "").statusCode()).isEqualTo(200);
        assertThat(get(server.baseUrl() + "/projects/1/packages/ml_models/1/files/x", "").body())
                .isEqualTo("{\"message\":\"404 Project Not Found\"}");
        assertThat(get(origin(server) + "/health", "").statusCode()).isEqualTo(200);
    }

    @Test
    void turnedOffTheRootIsTheJson404AsBefore() throws Exception {
        RegistryServer server = start("off", "{\"enabled\": false}", Map.of());
        HttpResponse<String> home = get(origin(server) + "/", "");
        assertThat(home.statusCode()).isEqualTo(404);
        assertThat(home.body()).isEqualTo("{\"message\":\"404 Not Found\"}");
    }

    @Test
    void aSessionMadeOnOneNodeOpensOnAnotherWithTheSameSecret() throws Exception {
        Map<String, String> environment = Map.of("MLREGISTRY_SESSION_SECRET", SECRET);
        String web = "{\"sessionSecretEnv\": \"MLREGISTRY_SESSION_SECRET\", \"sessionHours\": 2}";
        RegistryServer first = start("first", web, environment);
        RegistryServer second = start("second", web, environment);
        RegistryServer stranger = start("stranger", "", Map.of());

        HttpResponse<String> form = get(origin(first) + "/-/sign_in", "");
        String formCookie = form.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        Matcher csrf = CSRF.matcher(form.body());
        assertThat(csrf.find()).isTrue();
        HttpResponse<String> signIn = HTTP.send(HttpRequest.newBuilder(URI.create(origin(first) + "/-/sign_in")).header("Cookie", formCookie)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("csrf="
                        + csrf.group(1) + "&token=" + URLEncoder.encode(TOKEN, StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(signIn.statusCode()).isEqualTo(303);
        String setCookie = signIn.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("mlr_session=")).findFirst()
                .orElseThrow();
        assertThat(setCookie).contains("Max-Age=7200", "HttpOnly");
        String session = setCookie.split(";", 2)[0];

        assertThat(get(origin(second) + "/team/models/-/ml/models", session).statusCode()).isEqualTo(200);
        // a node with another secret cannot open it: the visitor is sent to sign in again
        HttpResponse<String> elsewhere = get(origin(stranger) + "/team/models/-/ml/models", session);
        assertThat(elsewhere.statusCode()).isEqualTo(303);
        assertThat(elsewhere.headers().firstValue("Location").orElseThrow()).contains("/-/sign_in").contains("reason=expired");
    }

    @Test
    void refusesToStartWithAMissingOrShortSecretWithoutShowingIt() {
        assertThatThrownBy(() -> start("missing", "{\"sessionSecretEnv\": \"NOT_SET\"}", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("web.sessionSecretEnv");
        assertThatThrownBy(() -> start("short", "{\"sessionSecretEnv\": \"SHORT\"}", Map.of("SHORT", "tiny-secret-value")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("web.sessionSecretEnv").hasMessageContaining("32 bytes")
                .message().doesNotContain("tiny-secret-value");
    }
}
