package org.mlregistry.core.model;

/**
 * A token scope, named as GitLab names it. Reading model files needs {@link #API} or {@link #READ_API}
 * (deploy tokens: {@link #READ_PACKAGE_REGISTRY}); writing needs {@link #API} (deploy tokens:
 * {@link #WRITE_PACKAGE_REGISTRY}). The other scopes exist so that real GitLab token definitions can be
 * declared unchanged; they grant nothing here.
 */
public enum Scope {
    API, READ_API, READ_USER, READ_REPOSITORY, WRITE_REPOSITORY, READ_REGISTRY, WRITE_REGISTRY,
    READ_VIRTUAL_REGISTRY, WRITE_VIRTUAL_REGISTRY, READ_PACKAGE_REGISTRY, WRITE_PACKAGE_REGISTRY,
    CREATE_RUNNER, MANAGE_RUNNER, K8S_PROXY, SUDO, ADMIN_MODE, READ_SERVICE_PING, AI_FEATURES, SELF_ROTATE;

    /** The lower-case name GitLab uses ({@code read_api}). */
    public String value() {
        return ConfigNames.of(this);
    }

    /**
     * Parses a GitLab scope name, case-insensitively.
     *
     * @throws IllegalArgumentException for an unknown scope
     */
    public static Scope parse(String value) {
        return ConfigNames.parse(Scope.class, value, "scope");
    }
}
