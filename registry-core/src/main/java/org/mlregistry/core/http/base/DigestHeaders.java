package org.mlregistry.core.http.base;

import org.mlregistry.core.http.RegistryHttpRequest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.mlregistry.core.model.Sha256;

/**
 * The SHA-256 an upload declares for its body: {@code X-Checksum-Sha256: <hex>} (GitLab's and
 * Artifactory's header) or RFC 9530's {@code Content-Digest} / {@code Repr-Digest} dictionaries with a
 * {@code sha-256=:<base64>:} member. Other algorithms are ignored; a malformed header, or two that disagree,
 * is a 400, so a client that asked for verification never gets an unverified upload.
 */
final class DigestHeaders {

    static final String CHECKSUM = "X-Checksum-Sha256";
    private static final List<String> DICTIONARIES = List.of("Content-Digest", "Repr-Digest");
    private static final Pattern KEY = Pattern.compile("[a-z*][a-z0-9_.*-]*");

    private DigestHeaders() {
    }

    /** The declared digest, if the request declares one. */
    static Optional<Sha256> sha256(RegistryHttpRequest request) {
        List<Sha256> found = new ArrayList<>();
        for (String value : request.headers(CHECKSUM)) {
            try {
                found.add(Sha256.parseHex(value.strip()));
            } catch (IllegalArgumentException e) {
                throw malformed(CHECKSUM + " must be the 64 hex digits of the body's SHA-256");
            }
        }
        for (String name : DICTIONARIES) {
            for (String value : request.headers(name)) {
                fromDictionary(value, name, found);
            }
        }
        if (found.stream().distinct().count() > 1) {
            throw malformed("the digest headers disagree");
        }
        return found.stream().findFirst();
    }

    private static void fromDictionary(String value, String name, List<Sha256> found) {
        for (String member : value.split(",", -1)) {
            String m = member.strip();
            int eq = m.indexOf('=');
            String key = eq < 0 ? m : m.substring(0, eq);
            if (eq < 0 || !KEY.matcher(key).matches()) {
                throw malformed(name + " must be a dictionary such as sha-256=:<base64>:");
            }
            if (!key.equals("sha-256")) {
                continue; // an algorithm we do not check
            }
            String bytes = m.substring(eq + 1);
            int params = bytes.indexOf(';');
            bytes = (params < 0 ? bytes : bytes.substring(0, params)).strip();
            try {
                if (bytes.length() < 2 || !bytes.startsWith(":") || !bytes.endsWith(":")) {
                    throw new IllegalArgumentException("not a byte sequence");
                }
                found.add(Sha256.of(Base64.getDecoder().decode(bytes.substring(1, bytes.length() - 1))));
            } catch (IllegalArgumentException e) {
                throw malformed(name + ": sha-256 must be :<base64 of 32 bytes>:");
            }
        }
    }

    private static RejectedRequest malformed(String detail) {
        return new RejectedRequest(RejectedRequest.Problem.BAD_REQUEST, detail);
    }
}
