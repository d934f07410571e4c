package org.mlregistry.server.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How the bundled server's API port speaks: plain HTTP, or TLS ({@code "tls": {"keystore": "server.p12", "passwordEnv":
 * "VAR"}}, a PKCS12 key store whose password is read from the environment, never from the file); and whether it
 * believes a reverse proxy's {@code Forwarded} and {@code X-Forwarded-*} headers ({@code "forwardedHeaders": true}),
 * which then name the client in the access log and the scheme and host of the links it sends. Only a server that
 * every client reaches through that proxy may believe them: anyone else could write them.
 *
 * @param tls the key store, or {@code null} for plain HTTP
 * @param forwardedHeaders whether the proxy's headers are believed
 */
public record ListenConfig(@Nullable Tls tls, boolean forwardedHeaders) {

    /** Plain HTTP, headers as the client sent them. */
    public static final ListenConfig PLAIN = new ListenConfig(null, false);

    /**
     * A PKCS12 key store holding the server's key and certificate chain.
     *
     * @param keystore the file, absolute
     * @param passwordEnv the environment variable holding its password, or {@code null} for none
     */
    public record Tls(Path keystore, @Nullable String passwordEnv) {

        /**
         * The key store, loaded and checked: it must open with the password and hold a key.
         *
         * @throws ConfigException naming {@code tls.keystore} or {@code tls.passwordEnv}; never the password
         */
        public KeyStore load(Map<String, String> environment) throws ConfigException {
            char[] password = password(environment);
            try (InputStream in = Files.newInputStream(keystore)) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(in, password);
                boolean hasKey = false;
                for (var aliases = store.aliases(); aliases.hasMoreElements(); ) {
                    hasKey |= store.isKeyEntry(aliases.nextElement());
                }
                if (!hasKey) {
                    throw new ConfigException("tls.keystore", keystore + " holds no private key");
                }
                return store;
            } catch (IOException | GeneralSecurityException e) {
                throw new ConfigException("tls.keystore", keystore + " cannot be read as a PKCS12 key store with "
                        + (passwordEnv == null ? "an empty password" : "the password in " + passwordEnv) + " ("
                        + e.getClass().getSimpleName() + ")");
            }
        }

        /** The password, from the environment. */
        public char[] password(Map<String, String> environment) throws ConfigException {
            if (passwordEnv == null) {
                return new char[0];
            }
            return Variables.required(environment, passwordEnv, "tls.passwordEnv").toCharArray();
        }
    }
}
