package org.mlregistry.core.http.base;

import org.mlregistry.core.http.RegistryHttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.mlregistry.core.Refusal;
import org.mlregistry.core.RegistryException;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.model.Caller;
import org.mlregistry.core.model.Credential;
import org.mlregistry.core.model.Credential.Transport;

/**
 * Reads the caller's credential from the request headers: {@code Authorization: Bearer} or
 * {@code Basic}, {@code PRIVATE-TOKEN}, {@code JOB-TOKEN} and {@code Deploy-Token}. Query-string tokens
 * are deliberately not read (they end up in access logs). A malformed header is a 401, two different
 * credentials a 400; the same credential repeated is accepted.
 */
public final class CredentialExtractor {

    static final String AUTHORIZATION = "Authorization";
    static final String PRIVATE_TOKEN = "PRIVATE-TOKEN";
    static final String JOB_TOKEN = "JOB-TOKEN";
    static final String DEPLOY_TOKEN = "Deploy-Token";
    /** Every header a credential is read from. */
    public static final List<String> HEADERS = List.of(AUTHORIZATION, PRIVATE_TOKEN, JOB_TOKEN, DEPLOY_TOKEN);
    /** Longer secrets are refused before hashing; real GitLab tokens are well under 200 characters. */
    static final int MAX_SECRET_LENGTH = 1024;

    private CredentialExtractor() {
    }

    /** Query parameters GitLab reads tokens from; we refuse them so that a token never lands in a log. */
    private static final Set<String> QUERY_TOKENS = Set.of("private_token", "job_token", "access_token", "deploy_token");

    /** The caller the headers describe: {@link Caller#ANONYMOUS} without any credential. */
    public static Caller extract(RegistryHttpRequest request) {
        refuseQueryTokens(request.rawQuery());
        Credential found = null;
        for (String value : request.headers(AUTHORIZATION)) {
            found = onlyOne(found, fromAuthorization(value));
        }
        found = addTokens(found, request, PRIVATE_TOKEN, Transport.PRIVATE_TOKEN);
        found = addTokens(found, request, JOB_TOKEN, Transport.JOB_TOKEN);
        found = addTokens(found, request, DEPLOY_TOKEN, Transport.DEPLOY_TOKEN);
        return found == null ? Caller.ANONYMOUS : Caller.presenting(found);
    }

    /** The credential so far and another one: the same one sent twice is fine, two different ones are not. */
    private static Credential onlyOne(@Nullable Credential found, Credential next) {
        if (found != null && !found.equals(next)) {
            throw new RejectedRequest(RejectedRequest.Problem.BAD_REQUEST,
                    "More than one credential was given; send exactly one");
        }
        return next;
    }

    private static void refuseQueryTokens(@Nullable String query) {
        if (query == null || query.isEmpty()) {
            return;
        }
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = (eq < 0 ? pair : pair.substring(0, eq)).toLowerCase(Locale.ROOT);
            if (QUERY_TOKENS.contains(name)) {
                throw new RejectedRequest(RejectedRequest.Problem.BAD_REQUEST,
                        "tokens in the query string are not accepted; send the token in a header");
            }
        }
    }

    private static @Nullable Credential addTokens(@Nullable Credential found, RegistryHttpRequest request, String header,
                                                  Transport t) {
        Credential result = found;
        for (String value : request.headers(header)) {
            result = onlyOne(result, Credential.of(t, secret(value)));
        }
        return result;
    }

    private static Credential fromAuthorization(String value) {
        String v = value.strip();
        int space = v.indexOf(' ');
        String scheme = (space < 0 ? v : v.substring(0, space)).toLowerCase(Locale.ROOT);
        String rest = space < 0 ? "" : v.substring(space + 1).strip();
        return switch (scheme) {
            case "bearer" -> Credential.of(Transport.BEARER, secret(rest));
            case "basic" -> basic(rest);
            default -> throw unauthorized();
        };
    }

    private static Credential basic(String encoded) {
        String decoded;
        try {
            byte[] raw = Base64.getDecoder().decode(encoded);
            decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw)).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw unauthorized();
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw unauthorized();
        }
        return Credential.basic(decoded.substring(0, colon), secret(decoded.substring(colon + 1)));
    }

    private static String secret(String value) {
        String s = value.strip();
        if (s.isEmpty() || s.length() > MAX_SECRET_LENGTH) {
            throw unauthorized();
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw unauthorized();
            }
        }
        return s;
    }

    private static RegistryException unauthorized() {
        return new RegistryException(Refusal.UNAUTHORIZED);
    }
}
