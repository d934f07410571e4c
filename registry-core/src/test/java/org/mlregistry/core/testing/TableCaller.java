package org.mlregistry.core.testing;

import java.util.function.LongFunction;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.model.Caller;
import org.mlregistry.core.model.Credential;
import org.mlregistry.core.model.Credential.Transport;

/** Every kind of caller of the permission table, and the credential it presents to a given project. */
public enum TableCaller {
    ANONYMOUS(p -> null),
    INVALID(p -> Credential.of(Transport.BEARER, "glpat-not-a-known-token")),
    EXPIRED(p -> Credential.of(Transport.PRIVATE_TOKEN, "pat-expired")),
    REVOKED(p -> Credential.of(Transport.BEARER, "pat-revoked")),
    WRONG_SCOPE(p -> Credential.of(Transport.PRIVATE_TOKEN, "pat-wrong-scope")),
    NON_MEMBER(p -> Credential.of(Transport.BEARER, "pat-outsider")),
    GUEST(p -> Credential.of(Transport.PRIVATE_TOKEN, "pat-gst")),
    REPORTER(p -> Credential.of(Transport.BEARER, "pat-rep")),
    DEVELOPER(p -> Credential.of(Transport.PRIVATE_TOKEN, "pat-dev")),
    MAINTAINER(p -> Credential.basic("anyone", "pat-mnt")),
    READ_API(p -> Credential.of(Transport.BEARER, "pat-read-api")),
    JOB_OWN_PROJECT(p -> Credential.of(Transport.JOB_TOKEN, "job-own-" + p)),
    JOB_ALLOWED_PROJECT(p -> Credential.of(Transport.BEARER, "job-allowed")),
    JOB_NOT_ALLOWED(p -> Credential.of(Transport.JOB_TOKEN, "job-not-allowed")),
    JOB_FINISHED(p -> Credential.basic(Credential.JOB_TOKEN_USER, "job-finished-" + p)),
    DEPLOY_READ(p -> Credential.of(Transport.DEPLOY_TOKEN, "deploy-read-" + p)),
    DEPLOY_WRITE(p -> Credential.basic("deployer", "deploy-write-" + p)),
    DEPLOY_OTHER_PROJECT(p -> Credential.of(Transport.DEPLOY_TOKEN, "deploy-other"));

    private final LongFunction<@Nullable Credential> credential;

    TableCaller(LongFunction<@Nullable Credential> credential) {
        this.credential = credential;
    }

    /** The credential this caller sends to project {@code projectId}, or {@code null} for none. */
    public @Nullable Credential credentialFor(long projectId) {
        return credential.apply(projectId);
    }

    /** This caller, as the facade takes it, towards project {@code projectId}. */
    public Caller callerFor(long projectId) {
        Credential c = credentialFor(projectId);
        return c == null ? Caller.ANONYMOUS : Caller.presenting(c);
    }
}
