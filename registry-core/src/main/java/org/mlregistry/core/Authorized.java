package org.mlregistry.core;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.model.Principal;
import org.mlregistry.core.model.Caller;
import org.mlregistry.core.model.Project;

/**
 * A caller's right to read or to write one project, decided once ({@link ModelRegistry#authorize}): the facade's
 * operations take it in place of a caller and a project reference, so that a request doing several of them is
 * authorized once. It is the decision of one moment and carries no expiry: hold it for one request, not longer.
 *
 * <pre>{@code
 * Authorized reading = registry.authorize(caller, ProjectRef.parse("team/models"), Access.READ);
 * ModelVersion v = registry.models().version(reading, "sentiment", "1.0.0");
 * Optional<ModelFile> f = registry.download(reading, v.ref(), FilePath.parse("model.bin"));
 * }</pre>
 *
 * <p>Threading: immutable.
 */
public final class Authorized {

    private final Caller caller;
    private final Project project;
    private final String actor;
    private final Access access;
    private final Principal.@Nullable Kind kind;

    Authorized(Caller caller, Project project, String actor, Access access, Principal.@Nullable Kind kind) {
        this.caller = Objects.requireNonNull(caller, "caller");
        this.project = Objects.requireNonNull(project, "project");
        this.actor = Objects.requireNonNull(actor, "actor");
        this.access = Objects.requireNonNull(access, "access");
        this.kind = kind;
    }

    /** The user's name, for an access log; empty for an anonymous caller or a deploy token. */
    public String user() {
        return actor;
    }

    /** The kind of token the caller presented, for an access log; empty for an anonymous caller. */
    public Optional<Principal.Kind> kind() {
        return Optional.ofNullable(kind);
    }

    /** The project the caller may act on. */
    public Project project() {
        return project;
    }

    /** What the caller may do with it. */
    public Access access() {
        return access;
    }

    /** Who was authorized. */
    Caller caller() {
        return caller;
    }

    /** The user's name, empty for an anonymous caller or a deploy token. */
    String actor() {
        return actor;
    }

    @Override
    public String toString() {
        return "Authorized[" + access + " on project " + project.id() + "]";
    }
}
