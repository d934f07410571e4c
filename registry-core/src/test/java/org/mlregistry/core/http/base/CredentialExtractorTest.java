package org.mlregistry.core.http.base;

import org.mlregistry.core.http.RegistryHttpRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mlregistry.core.Refusal;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.model.Caller;
import org.mlregistry.core.model.Credential;
import org.mlregistry.core.model.Credential.Transport;

class CredentialExtractorTest {

    /** Request headers only; the extractor reads nothing else. */
    private static final class Headers implements RegistryHttpRequest {
        private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

        Headers with(String name, String value) {
            headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            return this;
        }

        @Override
        public String method() {
            return "GET";
        }

        @Override
        public String rawPath() {
            return "/";
        }

        @Override
        public @Nullable String rawQuery() {
            return query;
        }

        private @Nullable String query;

        Headers query(String q) {
            this.query = q;
            return this;
        }

        @Override
        public List<String> headers(String name) {
            return headers.getOrDefault(name, List.of());
        }

        @Override
        public InputStream content() {
            return InputStream.nullInputStream();
        }
    }

    private static String basic(String userPass) {
        return "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsEveryTransport() {
        assertThat(CredentialExtractor.extract(new Headers().with("Authorization", "Bearer glpat-abc")))
                .isEqualTo(Caller.presenting(Credential.of(Transport.BEARER, "glpat-abc")));
        assertThat(CredentialExtractor.extract(new Headers().with("authorization", "bearer   glpat-abc ")))
                .isEqualTo(Caller.presenting(Credential.of(Transport.BEARER, "glpat-abc")));
        assertThat(CredentialExtractor.extract(new Headers().with("PRIVATE-TOKEN", "glpat-abc")))
                .isEqualTo(Caller.presenting(Credential.of(Transport.PRIVATE_TOKEN, "glpat-abc")));
        assertThat(CredentialExtractor.extract(new Headers().with("Job-Token", "glcbt-1")))
                .isEqualTo(Caller.presenting(Credential.of(Transport.JOB_TOKEN, "glcbt-1")));
        assertThat(CredentialExtractor.extract(new Headers().with("Deploy-Token", "gldt-1")))
                .isEqualTo(Caller.presenting(Credential.of(Transport.DEPLOY_TOKEN, "gldt-1")));
        assertThat(CredentialExtractor.extract(new Headers().with("Authorization", basic("me:glpat-abc"))))
                .isEqualTo(Caller.presenting(Credential.basic("me", "glpat-abc")));
        assertThat(CredentialExtractor.extract(new Headers().with("Authorization", basic("me:pa:ss"))))
                .isEqualTo(Caller.presenting(Credential.basic("me", "pa:ss")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"private_token=glpat-x", "a=1&job_token=x", "ACCESS_TOKEN=x", "deploy_token=x"})
    void refusesTokensInTheQueryStringWith400(String query) {
        assertThatThrownBy(() -> CredentialExtractor.extract(new Headers().query(query)))
                .isInstanceOfSatisfying(RejectedRequest.class, e -> {
                    assertThat(e.problem()).isEqualTo(RejectedRequest.Problem.BAD_REQUEST);
                    assertThat(e.detail().orElseThrow()).doesNotContain("glpat-x");
                });
    }

    @Test
    void ignoresOtherQueryParameters() {
        assertThat(CredentialExtractor.extract(new Headers().query("download=1&private=x"))).isEqualTo(Caller.ANONYMOUS);
    }

    @Test
    void treatsNoCredentialAsAnonymous() {
        assertThat(CredentialExtractor.extract(new Headers().with("Accept", "*/*"))).isEqualTo(Caller.ANONYMOUS);
    }

    @Test
    void acceptsTheSameCredentialRepeated() {
        Headers h = new Headers().with("PRIVATE-TOKEN", "glpat-abc").with("PRIVATE-TOKEN", "glpat-abc");
        assertThat(CredentialExtractor.extract(h)).isEqualTo(Caller.presenting(Credential.of(Transport.PRIVATE_TOKEN, "glpat-abc")));
    }

    @Test
    void refusesTwoDifferentCredentialsWith400() {
        Headers h = new Headers().with("PRIVATE-TOKEN", "glpat-abc").with("Authorization", "Bearer glpat-abc");
        assertThatThrownBy(() -> CredentialExtractor.extract(h)).isInstanceOfSatisfying(RejectedRequest.class,
                e -> assertThat(e.problem()).isEqualTo(RejectedRequest.Problem.BAD_REQUEST));
        Headers twoTokens = new Headers().with("PRIVATE-TOKEN", "a").with("PRIVATE-TOKEN", "b");
        assertThatThrownBy(() -> CredentialExtractor.extract(twoTokens)).isInstanceOfSatisfying(RejectedRequest.class,
                e -> assertThat(e.problem()).isEqualTo(RejectedRequest.Problem.BAD_REQUEST));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer", "Bearer ", "Basic", "Basic !!!notbase64", "Basic bm9jb2xvbg==", "Basic dXNlcjo=",
        "Digest abc", "garbage", "Bearer a b", "Basic /w==", ""})
    void refusesMalformedAuthorizationWith401(String value) {
        Headers h = new Headers().with("Authorization", value);
        assertThatThrownBy(() -> CredentialExtractor.extract(h)).isInstanceOfSatisfying(RegistryException.class,
                e -> assertThat(e.reason()).isEqualTo(Refusal.UNAUTHORIZED));
    }

    @Test
    void refusesEmptyAndOversizedTokenHeadersWith401() {
        for (String header : List.of("PRIVATE-TOKEN", "JOB-TOKEN", "Deploy-Token")) {
            assertThatThrownBy(() -> CredentialExtractor.extract(new Headers().with(header, " ")))
                    .isInstanceOf(RegistryException.class);
            assertThatThrownBy(() -> CredentialExtractor.extract(new Headers().with(header, "x".repeat(8192))))
                    .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.reason()).isEqualTo(Refusal.UNAUTHORIZED));
        }
    }

    @Test
    void fingerprintsWithFourHexDigitsOfTheHashOnly() {
        Credential c = Credential.of(Transport.BEARER, "glpat-secret");
        assertThat(c.fingerprint()).hasSize(4)
                .isEqualTo(org.mlregistry.core.model.Sha256.ofSecret("glpat-secret").hex().substring(0, 4));
    }

    @Test
    void neverShowsTheSecretInToString() {
        Caller c = CredentialExtractor.extract(new Headers().with("Authorization", basic("me:glpat-secret")));
        assertThat(c.toString()).doesNotContain("glpat-secret").contains("me");
    }
}
