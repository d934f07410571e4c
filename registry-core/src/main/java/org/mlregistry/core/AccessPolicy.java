package org.mlregistry.core;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import org.mlregistry.core.model.Credential;
import org.mlregistry.core.model.Principal;
import org.mlregistry.core.model.Project;
import org.mlregistry.core.model.ProjectRef;
import org.mlregistry.core.model.Role;
import org.mlregistry.core.model.Scope;
import org.mlregistry.core.model.Visibility;
import org.mlregistry.core.spi.ProjectLocator;
import org.mlregistry.core.spi.TokenAuthenticator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GitLab's rules for who may read or write a project's model files, in GitLab's order: authenticate
 * (401), check the token's scope (403), locate the project (404, also for hidden ones), check the
 * role and the token's reach (403).
 */
final class AccessPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(AccessPolicy.class);

    private final ProjectLocator projects;
    private final TokenAuthenticator tokens;
    private final boolean guestsCanReadPrivate;

    AccessPolicy(ProjectLocator projects, TokenAuthenticator tokens, boolean guestsCanReadPrivate) {
        this.projects = projects;
        this.tokens = tokens;
        this.guestsCanReadPrivate = guestsCanReadPrivate;
    }

    /** Returns the project the caller may access as asked, or throws the refusal. */
    Project authorize(Credential credential, ProjectRef ref, Access access) throws IOException {
        Principal principal = authenticate(credential);
        if (principal == null && access == Access.WRITE) {
            throw new RegistryException(Refusal.UNAUTHORIZED);
        }
        if (principal != null) {
            checkScope(principal, access);
        }
        Project project = projects.find(ref).filter(p -> canSee(principal, p))
                .orElseThrow(() -> new RegistryException(Refusal.PROJECT_NOT_FOUND));
        checkReach(principal, project);
        checkRole(principal, project, access);
        return project;
    }

    private Principal authenticate(Credential credential) throws IOException {
        if (credential == null) {
            return null;
        }
        Principal p = tokens.authenticate(credential).orElse(null);
        if (p == null) {
            throw refused(credential, Refusal.UNAUTHORIZED, "unknown");
        }
        switch (p.status()) {
            case ACTIVE:
                return p;
            case EXPIRED:
                throw refused(credential, Refusal.TOKEN_EXPIRED, "expired");
            case REVOKED:
                throw refused(credential, Refusal.TOKEN_REVOKED, "revoked");
            case JOB_FINISHED:
                throw refused(credential, Refusal.UNAUTHORIZED, "finished job's");
            default:
                throw new IllegalStateException("unknown token status " + p.status());
        }
    }

    /** Logs a refused token by transport and hash prefix only, never the token. */
    private static RegistryException refused(Credential credential, Refusal reason, String what) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("refused {} token sent as {} (sha256 {}...)", what, credential.transport(), credential.fingerprint());
        }
        return new RegistryException(reason);
    }

    private static void checkScope(Principal p, Access access) {
        Set<Scope> needed;
        switch (p.kind()) {
            case ACCESS_TOKEN:
                needed = access == Access.READ ? Set.of(Scope.API, Scope.READ_API) : Set.of(Scope.API);
                break;
            case DEPLOY:
                needed = Set.of(access == Access.READ ? Scope.READ_PACKAGE_REGISTRY : Scope.WRITE_PACKAGE_REGISTRY);
                break;
            case JOB:
                return; // job tokens act with their user's role, they have no scopes
            default:
                throw new IllegalStateException("unknown token kind " + p.kind());
        }
        if (needed.stream().noneMatch(p.scopes()::contains)) {
            throw new RegistryException(Refusal.INSUFFICIENT_SCOPE, scopeList(needed));
        }
    }

    private static String scopeList(Set<Scope> scopes) {
        // stable order for the "scope" field: api before read_api
        return scopes.stream().sorted().map(Scope::value).reduce((a, b) -> a + " " + b).orElse("");
    }

    private static boolean canSee(Principal p, Project project) {
        if (project.visibility() == Visibility.PUBLIC) {
            return true;
        }
        if (p == null) {
            return false;
        }
        if (p.kind() == Principal.Kind.DEPLOY) {
            return p.projectId() == project.id();
        }
        return project.roleOf(p.username()).isPresent();
    }

    /** Job and deploy tokens reach only their own project (job tokens also allowlisting ones). */
    private void checkReach(Principal p, Project project) throws IOException {
        if (p == null || p.kind() == Principal.Kind.ACCESS_TOKEN || p.projectId() == project.id()) {
            return;
        }
        if (p.kind() == Principal.Kind.DEPLOY) {
            throw new RegistryException(Refusal.FORBIDDEN, "Deploy token is not valid for this project");
        }
        if (!project.jobTokenAllowlist().contains(p.projectId())) {
            String source = projects.find(ProjectRef.ofId(p.projectId()))
                    .map(Project::fullPath).orElse("project " + p.projectId());
            throw new RegistryException(Refusal.FORBIDDEN, "Authentication by CI/CD job token not allowed from "
                    + source + " to " + project.fullPath() + ".");
        }
    }

    private void checkRole(Principal p, Project project, Access access) {
        if (p != null && p.kind() == Principal.Kind.DEPLOY) {
            return; // bound to this project, scope already checked
        }
        Optional<Role> role = p == null ? Optional.empty() : project.roleOf(p.username());
        if (access == Access.WRITE) {
            if (role.filter(r -> r.atLeast(Role.DEVELOPER)).isEmpty()) {
                throw new RegistryException(Refusal.FORBIDDEN);
            }
            return;
        }
        if (project.visibility() == Visibility.PRIVATE && !guestsCanReadPrivate
                && role.filter(r -> r.atLeast(Role.REPORTER)).isEmpty()) {
            throw new RegistryException(Refusal.FORBIDDEN);
        }
    }
}
