package org.mlregistry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.server.config.ConfigException;

/**
 * The API over TLS, from a PKCS12 key store made by the JDK's {@code keytool} for this test: a real HTTPS client that
 * trusts only that certificate downloads a file over HTTP/2 and over HTTP/1.1, the banner and links say https, and a
 * wrong password is a configuration error that names the variable, never the password.
 */
class TlsServerTest {

    private static final String TOKEN = "glpat-tls-server-test";
    private static final String PASSWORD = "changeit-but-not-here";

    @TempDir
    Path dir;
    private RegistryServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private Path keyStore() throws Exception {
        Path store = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", "mlregistry", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext",
                "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(output).isZero();
        return store;
    }

    private Path config(Path store) throws Exception {
        Files.createDirectories(dir.resolve("data/1/1"));
        Files.writeString(dir.resolve("data/1/1/model.bin"), "weights over tls");
        return Files.writeString(dir.resolve("registry.json"), """
                {
                  "storage": { "type": "filesystem", "root": "data" }, "catalog": { "type": "none" },
                  "tls": { "keystore": "%s", "passwordEnv": "MLREGISTRY_TLS_PASSWORD" },
                  "projects": [ { "id": 1, "path": "grp/proj", "visibility": "private", "members": { "dev": "developer" } } ],
                  "tokens": [ { "kind": "personal", "user": "dev", "sha256": "%s", "scopes": ["api"] } ]
                }
                """.formatted(store.getFileName(), Sha256.ofSecret(TOKEN).hex()));
    }

    private RegistryServer start(Path config, String password) throws Exception {
        return RegistryServer.start(ServerOptions.parse(List.of("--config", config.toString(), "--port", "0")),
                new PrintStream(OutputStream.nullOutputStream()), Duration.ofSeconds(2), Map.of("MLREGISTRY_TLS_PASSWORD", password));
    }

    /** A client that trusts the server's own certificate and nothing else. */
    private static HttpClient trusting(Path store, HttpClient.Version version) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            trusted.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(tls).version(version).build();
    }

    @Test
    void servesDownloadsOverHttp2AndHttp11() throws Exception {
        Path store = keyStore();
        server = start(config(store), PASSWORD);
        assertThat(server.baseUrl()).startsWith("https://127.0.0.1:");
        URI file = URI.create(server.baseUrl() + "/projects/1/packages/ml_models/1/files/model.bin");
        for (HttpClient.Version version : List.of(HttpClient.Version.HTTP_2, HttpClient.Version.HTTP_1_1)) {
            HttpResponse<String> answer = trusting(store, version).send(HttpRequest.newBuilder(file).header("PRIVATE-TOKEN", TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.version()).isEqualTo(version);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("weights over tls");
        }
        HttpResponse<String> anonymous = trusting(store, HttpClient.Version.HTTP_2).send(HttpRequest.newBuilder(file).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(404);
        assertThat(anonymous.body()).isEqualTo("{\"message\":\"404 Project Not Found\"}");
    }

    @Test
    void refusesPlainHttpOnTheTlsPort() throws Exception {
        server = start(config(keyStore()), PASSWORD);
        URI plain = URI.create(server.baseUrl().replace("https://", "http://") + "/projects/1/packages/ml_models/1/files/model.bin");
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(plain).header("PRIVATE-TOKEN", TOKEN)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(java.io.IOException.class);
    }

    @Test
    void aWrongPasswordIsAConfigurationErrorThatNeverShowsIt() throws Exception {
        Path store = keyStore();
        Path config = config(store);
        assertThatThrownBy(() -> start(config, "not-the-password")).isInstanceOf(ConfigException.class)
                .hasMessage("tls.keystore: " + store + " cannot be read as a PKCS12 key store with the password in "
                        + "MLREGISTRY_TLS_PASSWORD (IOException)")
                .message().doesNotContain("not-the-password");
        assertThatThrownBy(() -> RegistryServer.start(ServerOptions.parse(List.of("--config", config.toString(), "--port", "0")),
                new PrintStream(OutputStream.nullOutputStream()), Duration.ofSeconds(2), Map.of()))
                .hasMessage("tls.passwordEnv: the environment variable MLREGISTRY_TLS_PASSWORD is not set");
    }
}
