package org.mlregistry.web.page;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The cookies' names and attributes over TLS and plain HTTP, at the root and under a prefix. */
class CookieNamesTest {

    /** An exchange that only answers whether it came over TLS. */
    private record Tls(boolean secure) implements WebExchange {
        @Override
        public String method() {
            return "GET";
        }

        @Override
        public @Nullable String rawQuery() {
            return null;
        }

        @Override
        public @Nullable String header(String name) {
            return null;
        }

        @Override
        public Optional<String> cookie(String name) {
            return Optional.empty();
        }

        @Override
        public String origin() {
            return "https://models.example.com";
        }

        @Override
        public long contentLength() {
            return -1;
        }

        @Override
        public InputStream body() {
            return InputStream.nullInputStream();
        }

        @Override
        public void status(int code) {
            // not asked
        }

        @Override
        public void header(String name, String value) {
            // not asked
        }

        @Override
        public void addCookie(String setCookie) {
            // not asked
        }

        @Override
        public OutputStream output() {
            return new ByteArrayOutputStream();
        }
    }

    @Test
    void overTlsAtTheRootCookiesTakeTheHostPrefixAndAreSecure() {
        String c = WebPages.cookie(new Tls(true), "", WebPages.SESSION_COOKIE, "v", 60, "Lax");
        assertThat(c).isEqualTo("__Host-mlr_session=v; Path=/; HttpOnly; SameSite=Lax; Max-Age=60; Secure");
    }

    @Test
    void underAPrefixOrOverPlainHttpTheyKeepTheirNames() {
        List<String> cookies = new ArrayList<>();
        cookies.add(WebPages.cookie(new Tls(true), "/ui", WebPages.SESSION_COOKIE, "v", 60, "Lax"));
        cookies.add(WebPages.cookie(new Tls(false), "", WebPages.FORM_COOKIE, "f", -1, "Strict"));
        assertThat(cookies).containsExactly("mlr_session=v; Path=/ui; HttpOnly; SameSite=Lax; Max-Age=60; Secure",
                "mlr_form=f; Path=/; HttpOnly; SameSite=Strict");
    }
}
