package org.mlregistry.servlet;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.mlregistry.core.model.Credential;

/** How a GitLab client sends each kind of credential. */
final class CredentialHeaders {
    private CredentialHeaders() {
    }

    /** Header name and value pairs for {@code c}; none for an anonymous caller. */
    static String[] of(Credential c) {
        if (c == null) {
            return new String[0];
        }
        switch (c.transport()) {
            case BEARER:
                return new String[] {"Authorization", "Bearer " + c.secret()};
            case PRIVATE_TOKEN:
                return new String[] {"PRIVATE-TOKEN", c.secret()};
            case JOB_TOKEN:
                return new String[] {"JOB-TOKEN", c.secret()};
            case DEPLOY_TOKEN:
                return new String[] {"Deploy-Token", c.secret()};
            case BASIC:
                String pair = c.username() + ":" + c.secret();
                return new String[] {"Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8))};
            default:
                throw new IllegalArgumentException("unknown transport " + c.transport());
        }
    }
}
