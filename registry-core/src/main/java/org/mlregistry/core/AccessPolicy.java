package org.mlregistry.core;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.mlregistry.core.model.Caller;
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
 * role and the token's reach (403). An anonymous caller takes its own short path.
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
    Authorized authorize(Caller caller, ProjectRef ref, Access access) throws IOException {
        Optional<Credential> credential = caller.credential();
        if (credential.isEmpty()) {
            return new Authorized(caller, authorizeAnonymous(ref, access), "", access, null);
        }
        Principal principal = authenticate(credential.get());
        checkScope(principal, access);
        Project project = projects.find(ref).orElseThrow(() -> new RegistryException(Refusal.PROJECT_NOT_FOUND));
        return admit(caller, principal, project, access);
    }

    /** The rest of GitLab's order for a principal whose token has the scope: hidden (404), reach and role (403). */
    private Authorized admit(Caller caller, Principal principal, Project project, Access access) throws IOException {
        if (!canSee(principal, project)) {
            throw new RegistryException(Refusal.PROJECT_NOT_FOUND);
        }
        checkReach(principal, project);
        checkRole(principal, project, access);
        String user = principal.username();
        return new Authorized(caller, project, user == null ? "" : user, access, principal.kind());
    }

    /**
     * The projects of {@code projects.list(limit)} that {@code caller} may read, in its order; a credential that is
     * refused outright (unknown, expired, revoked) is refused here too.
     */
    List<Project> readable(Caller caller, int limit) throws IOException {
        Optional<Credential> credential = caller.credential();
        if (credential.isEmpty()) {
            return projects.list(limit).stream().filter(p -> p.visibility() == Visibility.PUBLIC).toList();
        }
        Principal principal = authenticate(credential.get()); // once for the whole list
        try {
            checkScope(principal, Access.READ);
        } catch (RegistryException noReadScope) {
            return List.of(); // the API refuses such a token everywhere, public projects too
        }
        List<Project> readable = new ArrayList<>();
        for (Project project : projects.list(limit)) {
            try {
                admit(caller, principal, project, Access.READ);
                readable.add(project);
            } catch (RegistryException e) {
                switch (e.reason()) {
                    case PROJECT_NOT_FOUND, FORBIDDEN, INSUFFICIENT_SCOPE -> {
                        // not one of the caller's: left out, as GitLab's project list leaves it out
                    }
                    default -> throw e;
                }
            }
        }
        return readable;
    }

    /** Who presents {@code credential}: the principal, or the refusal (unknown, expired, revoked, finished job). */
    Principal signIn(Credential credential) throws IOException {
        return authenticate(credential);
    }

    /** Anyone may read a public project; nothing else is open to a caller without a credential. */
    private Project authorizeAnonymous(ProjectRef ref, Access access) throws IOException {
        if (access != Access.READ) {
            throw new RegistryException(Refusal.UNAUTHORIZED);
        }
        return projects.find(ref).filter(p -> p.visibility() == Visibility.PUBLIC)
                .orElseThrow(() -> new RegistryException(Refusal.PROJECT_NOT_FOUND));
    }

    private Principal authenticate(Credential credential) throws IOException {
        Principal p = tokens.authenticate(credential)
                .orElseThrow(() -> refused(credential, Refusal.UNAUTHORIZED, "unknown"));
        return switch (p.status()) {
            case ACTIVE -> p;
            case EXPIRED -> throw refused(credential, Refusal.TOKEN_EXPIRED, "expired");
            case REVOKED -> throw refused(credential, Refusal.TOKEN_REVOKED, "revoked");
            case JOB_FINISHED -> throw refused(credential, Refusal.UNAUTHORIZED, "finished job's");
        };
    }

    /** Logs a refused token by transport and hash prefix only, never the token. */
    private static RegistryException refused(Credential credential, Refusal reason, String what) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("refused {} token sent as {} (sha256 {}...)", what, credential.transport(), credential.fingerprint());
        }
        return new RegistryException(reason);
    }

    // checked on every request: built once
    private static final Set<Scope> READ_BY_ACCESS_TOKEN = Set.of(Scope.API, Scope.READ_API);
    private static final Set<Scope> WRITE_BY_ACCESS_TOKEN = Set.of(Scope.API);
    private static final Set<Scope> READ_BY_DEPLOY_TOKEN = Set.of(Scope.READ_PACKAGE_REGISTRY);
    private static final Set<Scope> WRITE_BY_DEPLOY_TOKEN = Set.of(Scope.WRITE_PACKAGE_REGISTRY);

    private static void checkScope(Principal p, Access access) {
        Set<Scope> needed = switch (p.kind()) {
            case ACCESS_TOKEN -> access == Access.READ ? READ_BY_ACCESS_TOKEN : WRITE_BY_ACCESS_TOKEN;
            case DEPLOY -> access == Access.READ ? READ_BY_DEPLOY_TOKEN : WRITE_BY_DEPLOY_TOKEN;
            case JOB -> Set.of(); // job tokens act with their user's role, they have no scopes
        };
        if (needed.isEmpty()) {
            return;
        }
        for (Scope held : p.scopes()) {
            if (needed.contains(held)) {
                return;
            }
        }
        throw new RegistryException(Refusal.INSUFFICIENT_SCOPE, scopeList(needed));
    }

    private static String scopeList(Set<Scope> scopes) {
        // stable order for the "scope" field: api before read_api
        return scopes.stream().sorted().map(Scope::value).collect(Collectors.joining(" "));
    }

    private static boolean canSee(Principal p, Project project) {
        if (project.visibility() == Visibility.PUBLIC) {
            return true;
        }
        return switch (p.kind()) {
            case DEPLOY -> p.projectId() == project.id();
            case ACCESS_TOKEN, JOB -> roleOf(p, project).isPresent();
        };
    }

    /** Job and deploy tokens reach only their own project (job tokens also allowlisting ones). */
    private void checkReach(Principal p, Project project) throws IOException {
        switch (p.kind()) {
            case ACCESS_TOKEN -> {
                // acts wherever its user is a member
            }
            case DEPLOY -> {
                if (p.projectId() != project.id()) {
                    throw new RegistryException(Refusal.FORBIDDEN, "Deploy token is not valid for this project");
                }
            }
            case JOB -> {
                if (p.projectId() != project.id() && !project.jobTokenAllowlist().contains(p.projectId())) {
                    String source = projects.find(ProjectRef.ofId(p.projectId()))
                            .map(Project::fullPath).orElse("project " + p.projectId());
                    throw new RegistryException(Refusal.FORBIDDEN, "Authentication by CI/CD job token not allowed from "
                            + source + " to " + project.fullPath() + ".");
                }
            }
        }
    }

    private void checkRole(Principal p, Project project, Access access) {
        if (p.kind() == Principal.Kind.DEPLOY) {
            if (access == Access.MAINTAIN) {
                throw new RegistryException(Refusal.FORBIDDEN); // a deploy token has no role to delete packages with
            }
            return; // bound to this project, scope already checked
        }
        Optional<Role> role = roleOf(p, project);
        boolean allowed = switch (access) {
            case MAINTAIN -> role.filter(r -> r.atLeast(Role.MAINTAINER)).isPresent();
            case WRITE -> role.filter(r -> r.atLeast(Role.DEVELOPER)).isPresent();
            case READ -> project.visibility() != Visibility.PRIVATE || guestsCanReadPrivate
                    || role.filter(r -> r.atLeast(Role.REPORTER)).isPresent();
        };
        if (!allowed) {
            throw new RegistryException(Refusal.FORBIDDEN);
        }
    }

    private static Optional<Role> roleOf(Principal p, Project project) {
        String user = p.username();
        return user == null ? Optional.empty() : project.roleOf(user);
    }
}
