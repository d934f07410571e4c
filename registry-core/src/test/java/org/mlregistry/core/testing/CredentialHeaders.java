package org.mlregistry.core.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.model.Credential;

/** How a GitLab client sends each kind of credential. */
public final class CredentialHeaders {
    private CredentialHeaders() {
    }

    /** Header name and value pairs for {@code c}; none for an anonymous caller. */
    public static String[] of(@Nullable Credential c) {
        if (c == null) {
            return new String[0];
        }
        return switch (c.transport()) {
            case BEARER -> new String[] {"Authorization", "Bearer " + c.secret()};
            case PRIVATE_TOKEN -> new String[] {"PRIVATE-TOKEN", c.secret()};
            case JOB_TOKEN -> new String[] {"JOB-TOKEN", c.secret()};
            case DEPLOY_TOKEN -> new String[] {"Deploy-Token", c.secret()};
            case BASIC -> new String[] {"Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (c.username() + ":" + c.secret()).getBytes(StandardCharsets.UTF_8))};
        };
    }
}
