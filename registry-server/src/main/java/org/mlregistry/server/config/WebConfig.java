package org.mlregistry.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.mlregistry.web.WebInterface;

/**
 * The {@code "web"} section: whether the server answers the web interface at {@code /}, the environment variable that
 * holds the secret its session cookies are sealed with (the same on every node behind one address; without it each
 * process makes its own, and sessions end with it), and how long a sign-in lasts:
 * {@code {"enabled": true, "sessionSecretEnv": "MLREGISTRY_SESSION_SECRET", "sessionHours": 12}}, every field optional.
 *
 * @param enabled whether the interface is served
 * @param sessionSecretEnv the variable holding the session secret (at least 32 bytes), or {@code null}
 * @param sessionLifetime how long a sign-in lasts
 */
public record WebConfig(boolean enabled, @Nullable String sessionSecretEnv, Duration sessionLifetime) {

    /** Served, with a secret of the process's own, sessions of 12 hours. */
    public static final WebConfig DEFAULT = new WebConfig(true, null, Duration.ofHours(12));
    /** Not served: {@code /} is the API's JSON 404, as before the interface. */
    public static final WebConfig OFF = new WebConfig(false, null, DEFAULT.sessionLifetime());
    private static final Set<String> FIELDS = Set.of("enabled", "sessionSecretEnv", "sessionHours");
    private static final long MAX_HOURS = 30L * 24;

    static WebConfig parse(@Nullable JsonNode node) throws ConfigException {
        if (node == null || node.isNull()) {
            return DEFAULT;
        }
        ConfigParser.object(node, "web", FIELDS);
        boolean enabled = !node.has("enabled") || ConfigParser.bool(node.get("enabled"), "web.enabled");
        String env = node.has("sessionSecretEnv") ? ConfigParser.text(node.get("sessionSecretEnv"), "web.sessionSecretEnv") : null;
        Duration lifetime = DEFAULT.sessionLifetime();
        if (node.has("sessionHours")) {
            long hours = ConfigParser.number(node.get("sessionHours"), "web.sessionHours");
            if (hours < 1 || hours > MAX_HOURS) {
                throw new ConfigException("web.sessionHours", "must be 1 to " + MAX_HOURS + " (30 days)");
            }
            lifetime = Duration.ofHours(hours);
        }
        return new WebConfig(enabled, env, lifetime);
    }

    /**
     * The session secret from the variable {@link #sessionSecretEnv} names, or {@code null} when none is configured.
     *
     * @throws ConfigException when the variable is not set or holds fewer than
     *     {@link WebInterface#MIN_SESSION_SECRET_BYTES} bytes (its value is never shown)
     */
    public byte @Nullable [] sessionSecret(Map<String, String> environment) throws ConfigException {
        if (sessionSecretEnv == null) {
            return null;
        }
        byte[] secret = Variables.required(environment, sessionSecretEnv, "web.sessionSecretEnv").getBytes(StandardCharsets.UTF_8);
        if (secret.length < WebInterface.MIN_SESSION_SECRET_BYTES) {
            throw new ConfigException("web.sessionSecretEnv", "must name a variable of at least " + WebInterface.MIN_SESSION_SECRET_BYTES
                    + " bytes (e.g. openssl rand -base64 48)");
        }
        return secret;
    }
}
